package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.gateway.admin.ImpactPreview;
import io.micronaut.core.annotation.Nullable;
import java.util.Map;

/**
 * What the connector settings page shows: the row as it is, the form (as stored, or as the admin
 * posted it when it was refused), the broken rules by form field, a notice, and, on the
 * confirmation step, the impact preview of the change.
 *
 * @param errors     form field → "rule: message" of each violation the admin API named
 * @param notice     message key of a notice above the form (saved, nothing changed, conflict, ...)
 * @param noticeKind ok, error or conflict
 * @param detail     the admin API's message for an error notice
 * @param impact     on the confirmation step: the rooms the change drops
 */
public record SettingsPage(Chrome c, TenantSettings current, SettingsForm form, Map<String, String> errors,
                           @Nullable String notice, String noticeKind, @Nullable String detail,
                           @Nullable ImpactPreview.Impact impact) {
    public SettingsPage {
        errors = Map.copyOf(errors);
    }

    public boolean hasError(String field) {
        return errors.containsKey(field);
    }

    public String error(String field) {
        return errors.getOrDefault(field, "");
    }

    public boolean line() {
        return current.connector() == io.connectorgateway.contracts.Connector.LINE;
    }

    /** The form's action: this page. */
    public String action() {
        return "/console/tenants/" + current.tenant() + "/connectors/" + current.connector().name();
    }
}
