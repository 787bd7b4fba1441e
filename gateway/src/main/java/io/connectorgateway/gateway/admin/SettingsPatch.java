package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * A change to some fields of a settings row; absent (null) fields stay as they are. The plan is
 * not here: it belongs to the tenant and only an operator changes it ({@link PlanChange}).
 *
 * @param expectedVersion the version the admin edited (alternative to {@code If-Match})
 * @param reason          why (required, goes to the row's {@code change} and the audit record)
 */
public record SettingsPatch(
        Boolean enabled,
        PermissionMode permissionMode,
        Boolean autoGrantNewMembers,
        GreetingPatch greeting,
        AttachmentsPatch attachments,
        String reason,
        Long expectedVersion) {

    public record GreetingPatch(Boolean enabled, String text, String salesInfo) {
    }

    public record AttachmentsPatch(Boolean enabled, AttachmentAction action, Set<AttachmentKind> kinds) {
        public AttachmentsPatch {
            if (kinds != null && kinds.contains(null)) {
                throw new IllegalArgumentException("attachments.kinds must name attachment kinds, not null");
            }
        }
    }

    public boolean empty() {
        return enabled == null && permissionMode == null && autoGrantNewMembers == null
                && (greeting == null || (greeting.enabled() == null && greeting.text() == null && greeting.salesInfo() == null))
                && (attachments == null || (attachments.enabled() == null && attachments.action() == null
                && attachments.kinds() == null));
    }

    /**
     * Fields this patch switches on. R1 (plan) is checked only for these: after an operator lowered
     * the plan, a row may still say enabled (the stream treats it as off), and an admin must still
     * be able to change its other fields.
     */
    public Set<String> switchedOn() {
        Set<String> on = new HashSet<>();
        if (Boolean.TRUE.equals(enabled)) {
            on.add("enabled");
        }
        if (attachments != null && Boolean.TRUE.equals(attachments.enabled())) {
            on.add("attachments.enabled");
        }
        return on;
    }

    /** The row with this patch applied, same version; the caller sets the new version and change. */
    public TenantSettings applyTo(TenantSettings s, Change change) {
        Greeting g = s.greeting();
        if (greeting != null) {
            g = new Greeting(greeting.enabled() != null ? greeting.enabled() : g.enabled(),
                    greeting.text() != null ? greeting.text() : g.text(),
                    greeting.salesInfo() != null ? greeting.salesInfo() : g.salesInfo());
        }
        AttachmentRestriction a = s.attachments();
        if (attachments != null) {
            a = new AttachmentRestriction(attachments.enabled() != null ? attachments.enabled() : a.enabled(),
                    attachments.action() != null ? attachments.action() : a.action(),
                    attachments.kinds() != null ? attachments.kinds() : a.kinds());
        }
        return new TenantSettings(TenantSettings.SCHEMA_VERSION, s.tenant(), s.connector(), s.version(), s.plan(),
                enabled != null ? enabled : s.enabled(),
                permissionMode != null ? permissionMode : s.permissionMode(),
                autoGrantNewMembers != null ? autoGrantNewMembers : s.autoGrantNewMembers(),
                g, a, change);
    }
}
