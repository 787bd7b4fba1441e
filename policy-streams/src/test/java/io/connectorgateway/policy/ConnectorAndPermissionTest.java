package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.groupContent;
import static io.connectorgateway.policy.Fixtures.left;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.redelivered;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** R1 plan, R2 disabled, R3 permission. */
class ConnectorAndPermissionTest {
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void r1_aFreeTenantsConnectorCountsAsDisabledEvenIfTheRowSaysEnabled() {
        p.settings(settings("acme", Connector.LINE).plan(Plan.FREE).enabled(true).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));

        assertTrue(p.rooms.isEmpty());
        assertEquals(AuditKind.REFUSED, p.auditFor("fa-1").kind());
        assertEquals("R1", p.auditFor("fa-1").rule());
        assertEquals(1L, p.auditFor("fa-1").settingsVersion());
    }

    @Test
    void r2_whileDisabledNoMessagePassesInEitherDirectionAndNoRoomOpens() {
        p.settings(settings("acme", Connector.WORKS).enabled(false).build())
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"))
                .event(message("in-1", "acme", Connector.WORKS, "m1", "ext@other", Direction.INBOUND, "hi"))
                .event(message("out-1", "acme", Connector.WORKS, "m1", "ext@other", Direction.OUTBOUND, "hi"));

        assertTrue(p.rooms.isEmpty());
        assertTrue(p.deliveries.isEmpty());
        for (String id : new String[] {"ca-1", "in-1", "out-1"}) {
            assertEquals(AuditKind.REFUSED, p.auditFor(id).kind(), id);
            assertEquals("R2", p.auditFor(id).rule(), id);
            assertTrue(p.auditFor(id).reason().contains("disabled"), p.auditFor(id).reason());
        }
    }

    @Test
    void r2_r8_disabledWinsOverTheAttachmentRule() {
        p.settings(settings("acme", Connector.LINE).restrict(AttachmentAction.STRIP).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .settings(settings("acme", Connector.LINE).version(2).enabled(false).restrict(AttachmentAction.STRIP).build())
                .event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "pic", AttachmentKind.IMAGE));

        assertTrue(p.deliveries.isEmpty(), "nothing is delivered, not even the stripped text");
        assertEquals(AuditKind.REFUSED, p.auditFor("msg-1").kind());
        assertEquals("R2", p.auditFor("msg-1").rule());
        assertEquals(AuditKind.REFUSED, p.history.get(0).decision());
    }

    @Test
    void r2_r5b_groupContentIsRefusedWhileDisabledAndWithoutAnOpenRoom() {
        p.settings(settings("acme", Connector.WORKS).build())
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"))
                .event(groupContent("gc-1", "acme", "m2", "ext@nobody", Direction.INBOUND, GroupContentType.NOTE))
                .settings(settings("acme", Connector.WORKS).version(2).enabled(false).build())
                .event(groupContent("gc-2", "acme", "m1", "ext@other", Direction.OUTBOUND, GroupContentType.BOARD));

        assertTrue(p.deliveries.isEmpty());
        assertEquals(AuditKind.REFUSED, p.auditFor("gc-1").kind());
        assertEquals("R5b", p.auditFor("gc-1").rule(), "no room between m2 and ext@nobody");
        assertEquals(AuditKind.REFUSED, p.auditFor("gc-2").kind());
        assertEquals("R2", p.auditFor("gc-2").rule());
        assertEquals(2L, p.auditFor("gc-2").settingsVersion());
    }

    @Test
    void r5_aRedeliveredMessageIsDeliveredOnce() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));
        ConnectorEvent msg = message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hello");
        p.event(msg).event(redelivered(msg)).event(msg);

        assertEquals(1, p.deliveries.size(), "one delivery: " + p.deliveries);
        assertEquals(1, p.audits(AuditKind.DELIVERED).size());
        assertEquals(2, p.audits(AuditKind.DUPLICATE).size(), "each copy audited as a duplicate");
    }

    @Test
    void r2_aTenantWithoutSettingsIsRefusedWithVersionZero() {
        p.event(message("msg-1", "nobody", Connector.LINE, "m1", "U1", Direction.INBOUND, "hi"));
        assertEquals("R2", p.auditFor("msg-1").rule());
        assertEquals(0L, p.auditFor("msg-1").settingsVersion());
    }

    @Test
    void r3_byMemberOnlyListedMembersMayOpenRoomsOrChat() {
        p.settings(settings("acme", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "listed", "tok-1", 1))
                .member(new io.connectorgateway.contracts.settings.ConnectedMember(1, "acme", Connector.LINE, "unlisted",
                        false, "tok-2", 1, null, Fixtures.change("removed but kept a token")))
                .event(friendAdd("fa-1", "acme", "listed", "U1", "tok-1"))
                .event(friendAdd("fa-2", "acme", "unlisted", "U2", "tok-2"))
                .event(message("msg-2", "acme", Connector.LINE, "unlisted", "U2", Direction.OUTBOUND, "hi"));

        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("fa-1").kind());
        assertEquals(AuditKind.REFUSED, p.auditFor("fa-2").kind());
        assertEquals("R3", p.auditFor("fa-2").rule());
        assertEquals("R3", p.auditFor("msg-2").rule());
        assertEquals(1, p.rooms.size());
    }

    @Test
    void r3_allMembersMeansEveryoneWhoHasNotLeft() {
        p.settings(settings("acme", Connector.WORKS).allMembers().build())
                .directory(left("d-1", "acme", "gone"))
                .event(contactAdd("ca-1", "acme", "anyone", "ext@other"))
                .event(contactAdd("ca-2", "acme", "gone", "ext@other"));

        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("ca-1").kind(), "no row needed in ALL_MEMBERS");
        assertEquals(AuditKind.REFUSED, p.auditFor("ca-2").kind());
        assertEquals("R3", p.auditFor("ca-2").rule());
        assertTrue(p.auditFor("ca-2").reason().contains("left"), p.auditFor("ca-2").reason());
    }
}
