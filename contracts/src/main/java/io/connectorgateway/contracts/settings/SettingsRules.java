package io.connectorgateway.contracts.settings;

import io.connectorgateway.contracts.Connector;
import java.util.ArrayList;
import java.util.List;

/**
 * The product rules a settings row must satisfy before it is written. Each violation names its
 * SPEC rule so an admin can act on it. Shared by the admin API (refuses) and the stream (which
 * treats a row below LITE as disabled whatever it says).
 */
public final class SettingsRules {
    private SettingsRules() {
    }

    /** A broken rule: {@code rule} is the SPEC rule id (R1, R7, ...), {@code message} says what to change. */
    public record Violation(String rule, String field, String message) {
        @Override
        public String toString() {
            return rule + " " + field + ": " + message;
        }
    }

    public static List<Violation> violations(TenantSettings s) {
        List<Violation> out = new ArrayList<>();
        if (s.enabled() && !s.plan().allowsConnectors()) {
            out.add(new Violation("R1", "enabled",
                    "enabling the " + s.connector() + " connector needs plan LITE or above; the tenant's plan is " + s.plan()));
        }
        if (s.attachments().enabled() && !s.plan().allowsConnectors()) {
            out.add(new Violation("R1", "attachments.enabled",
                    "restricting attachments needs plan LITE or above; the tenant's plan is " + s.plan()));
        }
        if (s.autoGrantNewMembers() && s.permissionMode() != PermissionMode.BY_MEMBER) {
            out.add(new Violation("R9", "autoGrantNewMembers",
                    "auto-grant for new members can be on only when the permission mode is BY_MEMBER"));
        }
        Greeting g = s.greeting();
        if (g.enabled() && s.connector() != Connector.LINE) {
            out.add(new Violation("R7", "greeting.enabled", "the automatic greeting exists only on the LINE connector"));
        }
        if (g.enabled() && (g.text() == null || g.text().isBlank())) {
            out.add(new Violation("R7", "greeting.text", "a greeting that is on needs a text"));
        }
        if (g.text() != null && g.text().length() > Greeting.MAX_TEXT) {
            out.add(new Violation("R7", "greeting.text",
                    "the greeting text is " + g.text().length() + " characters; LINE allows " + Greeting.MAX_TEXT));
        }
        if (g.salesInfo() != null && g.salesInfo().length() > Greeting.MAX_TEXT) {
            out.add(new Violation("R7", "greeting.salesInfo",
                    "the sales information is " + g.salesInfo().length() + " characters; LINE allows " + Greeting.MAX_TEXT));
        }
        for (var kind : s.attachments().kinds()) {
            if (!kind.restrictable()) {
                out.add(new Violation("R8", "attachments.kinds", kind + " cannot be restricted: text and stickers always pass"));
            }
        }
        if (s.change() == null && s.version() > 0) {
            out.add(new Violation("R10", "change", "a settings change must say who made it and why"));
        }
        return out;
    }
}
