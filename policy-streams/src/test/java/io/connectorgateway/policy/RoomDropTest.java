package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.left;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.RoomCommand;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * R4: every cause of losing permission drops each affected room exactly once, and no other room.
 * The scene: tenant acme has LINE rooms for m1 (two LINE users) and m2, and a WORKS room for m1;
 * tenant other has a LINE room too. Both tenants start enabled, BY_MEMBER on LINE.
 */
class RoomDropTest {
    private final PolicyDriver p = new PolicyDriver();
    private String m1u1;
    private String m1u2;
    private String m2u3;
    private String m1works;
    private String otherRoom;

    @BeforeEach
    void scene() {
        p.settings(settings("acme", Connector.LINE).byMember().build())
                .settings(settings("acme", Connector.WORKS).allMembers().build())
                .settings(settings("other", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "m1", "t1", 1))
                .member(granted("acme", Connector.LINE, "m2", "t2", 1))
                .member(granted("other", Connector.LINE, "m1", "t9", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "t1"))
                .event(friendAdd("fa-2", "acme", "m1", "U2", "t1"))
                .event(friendAdd("fa-3", "acme", "m2", "U3", "t2"))
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"))
                .event(friendAdd("fa-9", "other", "m1", "U1", "t9"));
        m1u1 = p.openedRoomId("fa-1");
        m1u2 = p.openedRoomId("fa-2");
        m2u3 = p.openedRoomId("fa-3");
        m1works = p.openedRoomId("ca-1");
        otherRoom = p.openedRoomId("fa-9");
        assertEquals(5, p.rooms.size());
        p.clearOutputs();
    }

    @AfterEach
    void close() {
        p.close();
    }

    private Set<String> dropped() {
        return p.rooms(RoomCommand.Action.DROPPED).stream().map(RoomCommand::roomId).collect(Collectors.toSet());
    }

    private void assertDroppedOnce(Set<String> expected, RoomCommand.Reason reason, long settingsVersion) {
        List<RoomCommand> drops = p.rooms(RoomCommand.Action.DROPPED);
        assertEquals(expected, dropped(), "dropped rooms");
        assertEquals(expected.size(), drops.size(), "each room once: " + drops);
        drops.forEach(d -> assertEquals(reason, d.reason()));
        drops.forEach(d -> assertEquals(settingsVersion, d.settingsVersion()));
        List<AuditRecord> audits = p.audits(AuditKind.ROOM_DROPPED);
        assertEquals(expected, audits.stream().map(AuditRecord::roomId).collect(Collectors.toSet()));
        assertEquals(expected.size(), audits.size(), "one audit per drop");
        audits.forEach(a -> assertEquals("R4", a.rule()));
    }

    @Test
    void disablingAConnectorDropsThatTenantsRoomsOnThatConnectorOnly() {
        p.settings(settings("acme", Connector.LINE).version(2).byMember().enabled(false).build());
        assertDroppedOnce(Set.of(m1u1, m1u2, m2u3), RoomCommand.Reason.CONNECTOR_DISABLED, 2);
        assertEquals(Fixtures.ADMIN, p.audits(AuditKind.ROOM_DROPPED).get(0).actor(), "the admin caused it");

        p.clearOutputs();
        p.settings(settings("acme", Connector.LINE).version(3).byMember().enabled(false).build())
                .settings(settings("acme", Connector.LINE).version(4).byMember().enabled(true).build());
        assertTrue(p.rooms.isEmpty(), "dropped once; re-enabling revives nothing: " + p.rooms);
    }

    @Test
    void loweringThePlanDropsAsPlanBelowLite() {
        p.settings(settings("acme", Connector.LINE).version(2).byMember().plan(Plan.FREE).enabled(false).build());
        assertDroppedOnce(Set.of(m1u1, m1u2, m2u3), RoomCommand.Reason.PLAN_BELOW_LITE, 2);
    }

    @Test
    void loweringThePlanOfAnEnabledConnectorDropsAsPlanBelowLite() {
        // What the operator's plan change writes: the plan goes down, the admin's switch stays on.
        p.settings(settings("acme", Connector.LINE).version(2).byMember().plan(Plan.FREE).enabled(true).build());
        assertDroppedOnce(Set.of(m1u1, m1u2, m2u3), RoomCommand.Reason.PLAN_BELOW_LITE, 2);
    }

    @Test
    void anOlderSettingsOrMemberVersionArrivingLateChangesNothing() {
        // A reset replay appends the control history again, and an out-of-order copy may follow a
        // newer row: applying it would drop rooms the current settings permit.
        p.settings(settings("acme", Connector.LINE).version(3).byMember().build())
                .settings(settings("acme", Connector.LINE).version(2).byMember().enabled(false).build())
                .member(granted("acme", Connector.LINE, "m1", "t1", 3))
                .member(removed("acme", Connector.LINE, "m1", 2));
        assertTrue(p.rooms.isEmpty(), "nothing dropped: " + p.rooms);

        p.event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "still here"));
        assertEquals(AuditKind.DELIVERED, p.auditFor("msg-1").kind());
        assertEquals(3L, p.auditFor("msg-1").settingsVersion(), "judged with the newest version");
    }

    @Test
    void switchingToByMemberDropsTheRoomsOfMembersNotOnTheList() {
        p.member(granted("acme", Connector.WORKS, "m9", "tw", 1))
                .event(contactAdd("ca-9", "acme", "m9", "ext@other"));
        String m9works = p.openedRoomId("ca-9");
        p.clearOutputs();

        p.settings(settings("acme", Connector.WORKS).version(2).byMember().build());
        assertDroppedOnce(Set.of(m1works), RoomCommand.Reason.SWITCHED_TO_BY_MEMBER, 2);
        assertTrue(!dropped().contains(m9works), "a listed member keeps the room");
    }

    @Test
    void removingAMemberDropsOnlyThatMembersRooms() {
        p.member(removed("acme", Connector.LINE, "m1", 2));
        assertDroppedOnce(Set.of(m1u1, m1u2), RoomCommand.Reason.MEMBER_REMOVED, 1);

        p.clearOutputs();
        p.member(removed("acme", Connector.LINE, "m1", 3));
        assertTrue(p.rooms.isEmpty(), "a second removal drops nothing");
    }

    @Test
    void removingAMemberInAllMembersModeDropsNothing() {
        p.member(removed("acme", Connector.WORKS, "m1", 1));
        assertTrue(p.rooms.isEmpty(), "in ALL_MEMBERS the list does not decide permission");
    }

    @Test
    void aMemberWhoLeavesLosesTheRoomsOnBothConnectorsOfThatTenant() {
        p.directory(left("d-1", "acme", "m1"));
        assertDroppedOnce(Set.of(m1u1, m1u2, m1works), RoomCommand.Reason.MEMBER_LEFT, 1);
        assertEquals(Actor.Role.MEMBER, p.audits(AuditKind.ROOM_DROPPED).get(0).actor().role());
        assertTrue(!dropped().contains(otherRoom), "same member id in another tenant is another person");

        p.clearOutputs();
        p.directory(left("d-2", "acme", "m1"));
        assertTrue(p.rooms.isEmpty());
    }

    @Test
    void droppedRoomsAcceptNoMessagesAndTheHistoryOfTheirMessagesStays() {
        p.event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "before"));
        p.member(removed("acme", Connector.LINE, "m1", 2));
        p.event(message("msg-2", "acme", Connector.LINE, "m2", "U3", Direction.INBOUND, "m2 still here"));

        assertEquals(AuditKind.DELIVERED, p.auditFor("msg-1").kind());
        assertEquals(AuditKind.DELIVERED, p.auditFor("msg-2").kind(), "another member's room is untouched");
        assertEquals("before", p.history.get(0).text(), "history is not touched by a drop");
        assertEquals(m1u1, p.history.get(0).roomId());
    }
}
