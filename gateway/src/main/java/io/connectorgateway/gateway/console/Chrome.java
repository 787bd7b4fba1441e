package io.connectorgateway.gateway.console;

import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.micronaut.core.annotation.Nullable;

/**
 * What every console page shows around its content: the language and its switch, who is signed in,
 * the CSRF token for the page's forms, the tenant and the navigation.
 *
 * @param switchUrl the language switch link (back to this page)
 * @param section   the navigation entry to mark: LINE, WORKS, audit or empty
 */
public record Chrome(ConsoleText text, String switchUrl, @Nullable AdminPrincipal who, @Nullable String csrf,
                     @Nullable String tenant, String section) {
    public String t(String key) {
        return text.t(key);
    }

    public String f(String key, Object... args) {
        return text.f(key, args);
    }

    public String lang() {
        return text.lang();
    }

    public boolean signedIn() {
        return who != null;
    }

    /** The tenant's connector settings are for tenant admins and operators; auditors see audit pages. */
    public boolean showsSettings() {
        return who != null && tenant != null && who.role() != io.connectorgateway.contracts.Actor.Role.AUDITOR;
    }

    public boolean showsAudit() {
        return who != null && tenant != null && who.role() != io.connectorgateway.contracts.Actor.Role.TENANT_ADMIN;
    }
}
