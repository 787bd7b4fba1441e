package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.SettingsRules;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsRulesTest {

    private static TenantSettings settings(Connector c, Plan plan, boolean enabled, PermissionMode mode, boolean autoGrant,
                                           Greeting greeting, AttachmentRestriction attachments) {
        return new TenantSettings(1, "acme", c, 1, plan, enabled, mode, autoGrant, greeting, attachments, Samples.CHANGE);
    }

    private static List<String> rules(TenantSettings s) {
        return SettingsRules.violations(s).stream().map(v -> v.rule() + ":" + v.field()).toList();
    }

    @Test
    void aValidRowHasNoViolations() {
        assertEquals(List.of(), rules(Samples.settings()));
    }

    @Test
    void enablingOrRestrictingBelowLiteBreaksR1() {
        var s = settings(Connector.LINE, Plan.FREE, true, PermissionMode.ALL_MEMBERS, false, null,
                new AttachmentRestriction(true, AttachmentAction.BLOCK, null));
        assertEquals(List.of("R1:enabled", "R1:attachments.enabled"), rules(s));
        assertTrue(SettingsRules.violations(s).get(0).message().contains("plan is FREE"));
        assertTrue(!s.effectivelyEnabled(), "a FREE tenant's connector counts as disabled");
    }

    @Test
    void autoGrantOutsideByMemberBreaksR9() {
        var s = settings(Connector.WORKS, Plan.LITE, true, PermissionMode.ALL_MEMBERS, true, null, null);
        assertEquals(List.of("R9:autoGrantNewMembers"), rules(s));
    }

    @Test
    void greetingRules() {
        assertEquals(List.of("R7:greeting.enabled"),
                rules(settings(Connector.WORKS, Plan.LITE, true, PermissionMode.ALL_MEMBERS, false, new Greeting(true, "hi", null), null)));
        assertEquals(List.of("R7:greeting.text"),
                rules(settings(Connector.LINE, Plan.LITE, true, PermissionMode.ALL_MEMBERS, false, new Greeting(true, " ", null), null)));
        assertEquals(List.of("R7:greeting.text"),
                rules(settings(Connector.LINE, Plan.LITE, true, PermissionMode.ALL_MEMBERS, false,
                        new Greeting(true, "x".repeat(Greeting.MAX_TEXT + 1), null), null)));
    }

    @Test
    void stickersCannotBeRestricted() {
        var s = settings(Connector.LINE, Plan.LITE, true, PermissionMode.ALL_MEMBERS, false, null,
                new AttachmentRestriction(true, AttachmentAction.STRIP, EnumSet.of(AttachmentKind.STICKER)));
        assertEquals(List.of("R8:attachments.kinds"), rules(s));
    }

    @Test
    void restrictionDefaultsToTheGuidesKinds() {
        var r = new AttachmentRestriction(true, null, null);
        assertEquals(AttachmentAction.STRIP, r.action());
        for (AttachmentKind k : AttachmentKind.values()) {
            boolean named = EnumSet.of(AttachmentKind.IMAGE, AttachmentKind.VIDEO, AttachmentKind.FILE, AttachmentKind.CONTACT,
                    AttachmentKind.DRIVE_FILE, AttachmentKind.DRIVE_FOLDER, AttachmentKind.TEMPLATE).contains(k);
            assertEquals(named, r.restricts(k), k.name());
        }
    }
}
