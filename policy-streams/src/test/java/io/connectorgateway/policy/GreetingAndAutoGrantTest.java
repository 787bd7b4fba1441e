package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.joined;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.settings.ConnectedMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** R7 greeting once per accepted LINE friend-add; R9 auto-grant only in BY_MEMBER. */
class GreetingAndAutoGrantTest {
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void r7_anAcceptedFriendAddGetsExactlyOneGreetingWithTheTextOfTheVersionUsed() {
        p.settings(settings("acme", Connector.LINE).greeting("Hi {userName}", "10% off").build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(Fixtures.redelivered(friendAdd("fa-1", "acme", "m1", "U1", "tok-1")))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));

        assertEquals(1, p.greetings.size(), "never twice for one friend-add: " + p.greetings);
        GreetingCommand g = p.greetings.get(0);
        assertEquals("Hi {userName}", g.text());
        assertEquals("10% off", g.salesInfo());
        assertEquals(1L, g.settingsVersion());
        assertEquals("U1", g.lineUserId());
        assertEquals("fa-1", g.friendAddEventId());
        assertEquals(p.openedRoomId("fa-1"), g.roomId());
        assertEquals(DerivedIds.of("greet-", "acme", Connector.LINE, "fa-1"), g.commandId(),
                "derived from the tenant's event: the bot's retry key is stable");
        assertEquals(g.commandId(), p.audits(AuditKind.ROOM_OPENED).get(0).detail().get("greetingCommandId"));
    }

    @Test
    void r7_theGreetingCarriesTheChannelTheUserFollowedAndNoneWhenTheEventNamesNone() {
        p.settings(settings("acme", Connector.LINE).greeting("Hi", null).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(Fixtures.base("fa-1", "acme", Connector.LINE, "m1", "U1").direction(Direction.INBOUND)
                        .type(EventType.FRIEND_ADD).urlToken("tok-1").channelId("1650000001").build())
                .event(friendAdd("fa-2", "acme", "m1", "U2", "tok-1")); // platform-published: no channel

        assertEquals(2, p.greetings.size(), "" + p.greetings);
        assertEquals("1650000001", p.greetings.get(0).channelId(), "the greeting goes through the followed channel");
        assertNull(p.greetings.get(1).channelId(), "no channel named: the bot uses the member's current one");
    }

    @Test
    void r7_theGreetingFollowsTheSettingsAndIsNeverSentForARefusalOrOnWorks() {
        p.settings(settings("acme", Connector.LINE).greeting("v1 text", null).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-bad", "acme", "m1", "U0", "stale"))
                .settings(settings("acme", Connector.LINE).version(2).greeting("v2 text", "sale").build())
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .settings(settings("acme", Connector.LINE).version(3).build()) // greeting off
                .event(friendAdd("fa-2", "acme", "m1", "U2", "tok-1"))
                .settings(settings("acme", Connector.WORKS).build())
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"));

        assertEquals(1, p.greetings.size(), "" + p.greetings);
        assertEquals("v2 text", p.greetings.get(0).text());
        assertEquals(2L, p.greetings.get(0).settingsVersion());
        assertEquals(3, p.audits(AuditKind.ROOM_OPENED).size());
    }

    @Test
    void r9_aJoiningMemberIsGrantedWhenByMemberAndAutoGrantAreOn() {
        p.settings(settings("acme", Connector.WORKS).byMember().autoGrant(true).build())
                .settings(settings("acme", Connector.LINE).byMember().autoGrant(false).build())
                .directory(joined("j-1", "acme", "newbie"));

        assertEquals(1, p.memberRows.size(), "one grant, on WORKS only: " + p.memberRows);
        ConnectedMember row = p.memberRows.get(0);
        assertEquals(Connector.WORKS, row.connector());
        assertEquals("newbie", row.memberId());
        assertTrue(row.granted());
        assertEquals(ConnectedMember.Source.AUTO_GRANT, row.source());
        assertEquals(Actor.Role.SYSTEM, row.change().actor().role());
        var audit = p.audits(AuditKind.AUTO_GRANTED);
        assertEquals(1, audit.size());
        assertEquals("R9", audit.get(0).rule());
        assertEquals(1L, audit.get(0).settingsVersion());

        // the row came back through connector.members: the new member may now add contacts
        p.event(contactAdd("ca-1", "acme", "newbie", "ext@other"));
        assertEquals(AuditKind.ROOM_OPENED, p.auditFor("ca-1").kind());
    }

    @Test
    void r9_noAutoGrantInAllMembersModeNorWhenItIsOff() {
        p.settings(settings("acme", Connector.WORKS).allMembers().build())
                .settings(settings("acme", Connector.LINE).byMember().build())
                .directory(joined("j-1", "acme", "newbie"));
        assertTrue(p.memberRows.isEmpty());
        assertTrue(p.audits(AuditKind.AUTO_GRANTED).isEmpty());
    }

    @Test
    void r9_settingsThatTurnAutoGrantOnInAllMembersModeAreRejectedNotApplied() {
        p.settings(settings("acme", Connector.WORKS).byMember().build());
        var invalid = new io.connectorgateway.contracts.settings.TenantSettings(1, "acme", Connector.WORKS, 2,
                io.connectorgateway.contracts.Plan.BASIC, false, io.connectorgateway.contracts.settings.PermissionMode.ALL_MEMBERS,
                true, null, null, Fixtures.change("invalid"));
        p.settings(invalid) // breaks R9: goes to the dead-letter topic, the stream keeps v1
                .directory(joined("j-1", "acme", "newbie"))
                .event(contactAdd("ca-1", "acme", "m-unlisted", "ext@other"));

        assertTrue(p.memberRows.isEmpty());
        assertEquals("R3", p.auditFor("ca-1").rule(), "still BY_MEMBER v1, not disabled ALL_MEMBERS v2");
        assertEquals(1L, p.auditFor("ca-1").settingsVersion());
    }

    @Test
    void r9_theTokenOfAnAutoGrantIsDerivedFromTheJoinAndTheSecret() {
        p.settings(settings("acme", Connector.LINE).byMember().autoGrant(true).build())
                .directory(joined("j-1", "acme", "a"))
                .directory(joined("j-2", "acme", "b"));
        assertEquals(2, p.memberRows.size());
        assertNotEquals(p.memberRows.get(0).urlToken(), p.memberRows.get(1).urlToken());
        try (PolicyDriver again = new PolicyDriver()) {
            again.settings(settings("acme", Connector.LINE).byMember().autoGrant(true).build())
                    .directory(joined("j-1", "acme", "a"));
            assertEquals(p.memberRows.get(0).urlToken(), again.memberRows.get(0).urlToken(), "same join, same token");
        }
    }
}
