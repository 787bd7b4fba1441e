package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.rules.Permission;
import java.util.Optional;

/** R3 permission as the stream's verdict; the rule itself is {@link Permission} (module policy-rules). */
public final class PermissionRule {
    private PermissionRule() {
    }

    public static Optional<Verdict> refusal(TenantSettings s, ConnectedMember member, DirectoryEvent directory) {
        return Permission.whyNot(s, member, directory).map(why -> Verdict.refused("R3", why, s.version()));
    }
}
