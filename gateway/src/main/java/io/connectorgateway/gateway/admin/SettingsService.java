package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.settings.SettingsRules;
import io.connectorgateway.contracts.settings.TenantSettings;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Settings rows: read, patch (tenant admins) and plan changes (operators). */
@Singleton
public final class SettingsService {
    private final ControlView view;
    private final TenantWrites writes;
    private final AdminWriter writer;

    public SettingsService(ControlView view, TenantWrites writes, AdminWriter writer) {
        this.view = view;
        this.writes = writes;
        this.writer = writer;
    }

    public TenantSettings read(String tenant, Connector connector) {
        return view.settings(tenant, connector);
    }

    /**
     * Validates and writes {@code patch} as version current+1.
     *
     * @throws ApiException 428 without an expected version, 409 when it is not the current one,
     *                      422 naming the rule when the result breaks one
     */
    public TenantSettings patch(AdminPrincipal who, String tenant, Connector connector, SettingsPatch patch,
                                Long expectedVersion) {
        if (expectedVersion == null) {
            throw ApiException.versionRequired("say which version you edited: If-Match: \"<version>\" or expectedVersion "
                    + "(GET the settings first; version 0 when none were ever written)");
        }
        if (patch.empty()) {
            throw ApiException.badRequest("the change sets no field");
        }
        Change change = change(who, patch.reason());
        return writes.serialised(tenant, () -> {
            TenantSettings current = view.settings(tenant, connector);
            if (current.version() != expectedVersion) {
                throw ApiException.conflict("the settings are at version " + current.version() + ", not "
                        + expectedVersion + ": someone else changed them; read them again", current.version());
            }
            TenantSettings after;
            try {
                after = patch.applyTo(current, change).withVersion(current.version() + 1, change);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            List<SettingsRules.Violation> violations = new ArrayList<>();
            for (var v : SettingsRules.violations(after)) {
                if (!v.rule().equals("R1") || patch.switchedOn().contains(v.field())) {
                    violations.add(v);
                }
            }
            if (!violations.isEmpty()) {
                throw ApiException.invalid(violations);
            }
            String changeId = ChangeAudit.newChangeId();
            writes.commit(tenant, writer.batch().settings(after).audit(ChangeAudit.settingsChanged(changeId, tenant, connector,
                    after.version(), change, current.version() == 0 ? null : current, after, Map.of("change", "settings"))));
            return after;
        });
    }

    /**
     * Sets the tenant's plan on both connector rows (each gets its next version and its own audit
     * record, all in one transaction). Lowering the plan below LITE is allowed with connectors
     * still enabled: the stream then treats them as disabled and drops their rooms (R1, R4).
     */
    public List<TenantSettings> changePlan(AdminPrincipal who, String tenant, PlanChange request) {
        if (request.plan() == null) {
            throw ApiException.invalid("R1", "plan", "plan is required (FREE, LITE, BASIC or ADVANCED)");
        }
        Change change = change(who, request.reason());
        return writes.serialised(tenant, () -> {
            String changeId = ChangeAudit.newChangeId();
            AdminWriter.Batch batch = writer.batch();
            List<TenantSettings> rows = new ArrayList<>();
            for (Connector connector : Connector.values()) {
                TenantSettings current = view.settings(tenant, connector);
                TenantSettings after = new TenantSettings(TenantSettings.SCHEMA_VERSION, tenant, connector,
                        current.version() + 1, request.plan(), current.enabled(), current.permissionMode(),
                        current.autoGrantNewMembers(), current.greeting(), current.attachments(), change);
                batch.settings(after).audit(ChangeAudit.settingsChanged(changeId, tenant, connector, after.version(), change,
                        current.version() == 0 ? null : current, after,
                        Map.of("change", "plan", "from", current.plan().name(), "to", request.plan().name())));
                rows.add(after);
            }
            writes.commit(tenant, batch);
            return rows;
        });
    }

    static Change change(AdminPrincipal who, String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("R10", "reason", "say why: every change carries a reason for the audit trail");
        }
        if (reason.length() > 1000) {
            throw ApiException.invalid("R10", "reason", "the reason is longer than 1000 characters");
        }
        return new Change(who.actor(), reason, System.currentTimeMillis());
    }
}
