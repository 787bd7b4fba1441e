package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unfollow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** R5 friend-add, R5b open rooms only, R6 contact-add. */
class RoomOpeningTest {
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void r5_aFriendAddThroughTheCurrentUrlOpensARoomWithADeterministicId() {
        p.settings(settings("acme", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));

        RoomCommand opened = p.rooms(RoomCommand.Action.OPENED).get(0);
        assertEquals(Ids.roomId("acme:LINE:m1:U1", "fa-1"), opened.roomId());
        assertEquals(RoomCommand.Reason.FRIEND_ADDED, opened.reason());
        var audit = p.auditFor("fa-1");
        assertEquals(AuditKind.ROOM_OPENED, audit.kind());
        assertEquals("R5", audit.rule());
        assertEquals(1L, audit.settingsVersion());
    }

    @Test
    void r5_aFriendAddThroughAResetUrlIsRefusedAndTheNewUrlWorks() {
        p.settings(settings("acme", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "m1", "tok-old", 1))
                .member(granted("acme", Connector.LINE, "m1", "tok-new", 2)) // admin reset the URL
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-old"));

        assertEquals(AuditKind.REFUSED, p.auditFor("fa-1").kind());
        assertEquals("R5", p.auditFor("fa-1").rule());
        assertTrue(p.rooms.isEmpty(), "no room through a stale URL");

        p.event(friendAdd("fa-2", "acme", "m1", "U1", "tok-new"));
        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("fa-2").kind());
    }

    @Test
    void r5_inAllMembersModeTheTokenStillComesFromTheMembersRow() {
        p.settings(settings("acme", Connector.LINE).allMembers().build())
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));
        assertEquals(AuditKind.REFUSED, p.auditFor("fa-1").kind(), "no row, no URL the gateway issued");
        assertEquals("R5", p.auditFor("fa-1").rule());

        p.member(removed("acme", Connector.LINE, "m2", 1)) // not on the list, irrelevant in ALL_MEMBERS ...
                .member(new io.connectorgateway.contracts.settings.ConnectedMember(1, "acme", Connector.LINE, "m2", false,
                        "tok-2", 2, null, Fixtures.change("token only"))) // ... but has a current URL
                .event(friendAdd("fa-2", "acme", "m2", "U2", "tok-2"));
        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("fa-2").kind());
    }

    @Test
    void r5_aRedeliveredOrDuplicateFriendAddChangesNothing() {
        p.settings(settings("acme", Connector.LINE).greeting("hello", null).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .clearOutputs();

        p.event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1")); // redelivery, same event id
        p.event(friendAdd("fa-2", "acme", "m1", "U1", "tok-1")); // a second friend-add for an open pair

        assertTrue(p.rooms.isEmpty(), "no second room: " + p.rooms);
        assertTrue(p.greetings.isEmpty(), "no second greeting");
        assertEquals(2, p.audits(AuditKind.DUPLICATE).size());
        assertEquals(2, p.audit.size(), "one audit per input, nothing else");
    }

    @Test
    void r4_r5_aRevokedMemberPlusARedeliveredFriendAddOpensNothing() {
        p.settings(settings("acme", Connector.LINE).byMember().greeting("hello", null).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .member(removed("acme", Connector.LINE, "m1", 2))
                .clearOutputs();

        p.event(Fixtures.redelivered(friendAdd("fa-1", "acme", "m1", "U1", "tok-1")));

        assertTrue(p.rooms.isEmpty(), "the dropped room is not revived");
        assertTrue(p.greetings.isEmpty());
        assertEquals(AuditKind.DUPLICATE, p.audit.get(0).kind());
        // and a new friend-add is refused: the member is not permitted any more
        p.event(friendAdd("fa-3", "acme", "m1", "U1", "tok-1"));
        assertEquals(AuditKind.REFUSED, p.auditFor("fa-3").kind());
        assertEquals("R3", p.auditFor("fa-3").rule());
    }

    @Test
    void r5b_aMessageWithoutAnOpenRoomIsRefusedInBothDirections() {
        p.settings(settings("acme", Connector.LINE).build())
                .event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hi"))
                .event(message("msg-2", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "hi"));

        assertTrue(p.deliveries.isEmpty());
        for (String id : new String[] {"msg-1", "msg-2"}) {
            assertEquals(AuditKind.REFUSED, p.auditFor(id).kind());
            assertEquals("R5b", p.auditFor(id).rule());
        }
    }

    @Test
    void r5b_anUnfollowClosesTheRoomAndLaterMessagesAreRefused() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hi"))
                .event(unfollow("uf-1", "acme", "m1", "U1"))
                .event(message("msg-2", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "still there?"));

        String room = p.openedRoomId("fa-1");
        assertEquals(1, p.deliveries.size());
        assertEquals(room, p.deliveries.get(0).roomId());
        RoomCommand closed = p.rooms(RoomCommand.Action.CLOSED).get(0);
        assertEquals(room, closed.roomId());
        assertEquals(RoomCommand.Reason.UNFOLLOWED, closed.reason());
        assertEquals(AuditKind.ROOM_CLOSED, p.auditFor("uf-1").kind());
        assertEquals(AuditKind.REFUSED, p.auditFor("msg-2").kind());
        assertEquals("R5b", p.auditFor("msg-2").rule());
    }

    @Test
    void r6_aPermittedMemberAddsAnExternalWorksUserAndTheyChat() {
        p.settings(settings("acme", Connector.WORKS).byMember().build())
                .member(granted("acme", Connector.WORKS, "m1", "tok-w", 1))
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"))
                .event(contactAdd("ca-2", "acme", "m2", "ext@other"))
                .event(message("msg-1", "acme", Connector.WORKS, "m1", "ext@other", Direction.INBOUND, "hello"));

        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("ca-1").kind());
        assertEquals("R6", p.auditFor("ca-1").rule());
        assertEquals(RoomCommand.Reason.CONTACT_ADDED, p.rooms.get(0).reason());
        assertEquals(AuditKind.REFUSED, p.auditFor("ca-2").kind());
        assertEquals("R3", p.auditFor("ca-2").rule());
        assertEquals(1, p.rooms.size());
        assertEquals(1, p.deliveries.size());
    }

    @Test
    void r11_aSettingsChangeBetweenTwoMessagesOfOneRoomAppliesToTheSecond() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "pic", AttachmentKind.IMAGE))
                .settings(settings("acme", Connector.LINE).version(2).restrict(AttachmentAction.BLOCK).build())
                .event(message("msg-2", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "pic", AttachmentKind.IMAGE));

        assertEquals(AuditKind.DELIVERED, p.auditFor("msg-1").kind());
        assertEquals(1L, p.auditFor("msg-1").settingsVersion());
        assertEquals(AuditKind.BLOCKED, p.auditFor("msg-2").kind());
        assertEquals(2L, p.auditFor("msg-2").settingsVersion());
        assertEquals(1, p.deliveries.size());
        assertEquals(1L, p.deliveries.get(0).settingsVersion());
    }

    @Test
    void r4_aNewFriendAddAfterADropOpensANewRoomNotTheOldOne() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .settings(settings("acme", Connector.LINE).version(2).enabled(false).build())
                .settings(settings("acme", Connector.LINE).version(3).enabled(true).build())
                .event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "back?"))
                .event(friendAdd("fa-2", "acme", "m1", "U1", "tok-1"));

        assertEquals(AuditKind.REFUSED, p.auditFor("msg-1").kind(), "re-enabling does not revive the dropped room");
        assertNotEquals(p.openedRoomId("fa-1"), p.openedRoomId("fa-2"));
    }

    /**
     * Event ids are chosen by each tenant's sources: the same id in another tenant is another
     * event (it opens its own room), while a redelivery within one tenant is still absorbed.
     * (History is still keyed by event id alone: issue 14.)
     */
    @Test
    void anEventIdOfOneTenantNeverMarksAnotherTenantsEventAsSeen() {
        p.settings(settings("acme", Connector.LINE).build()).settings(settings("globex", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-a", 1))
                .member(granted("globex", Connector.LINE, "m1", "tok-g", 1));
        p.event(friendAdd("same-id", "globex", "m1", "U1", "tok-g"));
        p.event(friendAdd("same-id", "acme", "m1", "U1", "tok-a"));
        assertEquals(2, p.rooms(RoomCommand.Action.OPENED).size(), "one room per tenant: " + p.rooms);
        assertEquals(0, p.audits(AuditKind.DUPLICATE).size(), "" + p.audit);

        p.clearOutputs().event(Fixtures.redelivered(friendAdd("same-id", "acme", "m1", "U1", "tok-a")));
        assertEquals(AuditKind.DUPLICATE, p.audit.get(0).kind(), "a redelivery within the tenant is absorbed");
    }

    /** Ids remembered before the key carried the tenant (an upgrade) still absorb that tenant's redeliveries, no other's. */
    @Test
    void anIdRememberedByAnEarlierReleaseStillCountsForItsOwnTenantOnly() {
        p.settings(settings("acme", Connector.LINE).build()).settings(settings("globex", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-a", 1))
                .member(granted("globex", Connector.LINE, "m1", "tok-g", 1));
        org.apache.kafka.streams.state.WindowStore<String, io.connectorgateway.policy.state.SeenEvent> seen =
                p.driver.getWindowStore(io.connectorgateway.policy.state.PolicyStores.SEEN_EVENTS);
        seen.put("LINE:old-id", new io.connectorgateway.policy.state.SeenEvent("acme:LINE:m1:U1",
                io.connectorgateway.contracts.event.EventType.MESSAGE, Direction.INBOUND, null, AuditKind.REFUSED,
                Fixtures.T0), Fixtures.T0);
        p.event(message("old-id", "globex", Connector.LINE, "m1", "U1", Direction.INBOUND, "x"));
        assertEquals(AuditKind.REFUSED, p.auditFor("old-id").kind(), "globex's own event, judged (no room): " + p.audit);
        p.clearOutputs().event(message("old-id", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "x"));
        assertEquals(AuditKind.DUPLICATE, p.audit.get(0).kind(), "acme's redelivery of an id it sent before: " + p.audit);
    }
}
