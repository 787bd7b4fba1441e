package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.Optional;

/** R1 plan and R2 disabled: nothing crosses a connector that is off or whose plan is below LITE. */
public final class ConnectorRule {
    private ConnectorRule() {
    }

    public static Optional<Verdict> refusal(TenantSettings s) {
        if (s.version() == 0) {
            return Optional.of(Verdict.refused("R2", "the " + s.connector()
                    + " connector has never been set up for this tenant (no settings row): it counts as disabled", 0));
        }
        if (!s.plan().allowsConnectors()) {
            return Optional.of(Verdict.refused("R1", "the tenant's plan " + s.plan() + " is below LITE: the " + s.connector()
                    + " connector counts as disabled", s.version()));
        }
        if (!s.enabled()) {
            return Optional.of(Verdict.refused("R2", "the " + s.connector() + " connector is disabled", s.version()));
        }
        return Optional.empty();
    }
}
