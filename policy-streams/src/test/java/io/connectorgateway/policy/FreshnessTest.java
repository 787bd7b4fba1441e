package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.T0;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unfollow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventFreshness;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.testsupport.TestAuditKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Freshness (SPEC "Qualities"): an event whose own timestamp is older than the window, measured
 * against its Kafka record timestamp, is refused as stale and audited; it never opens a room,
 * greets or delivers. The record timestamp, not the wall clock, is the reference (R11): the replay
 * below is stamped today and judged eight days from now, by its record timestamp.
 */
class FreshnessTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** The same event, stamped {@code timestamp}. */
    private static ConnectorEvent stamped(ConnectorEvent e, long timestamp) {
        return new ConnectorEvent(e.schemaVersion(), e.eventId(), e.tenant(), e.connector(), e.direction(), e.type(),
                e.memberId(), e.externalUserId(), e.roomId(), timestamp, e.text(), e.attachments(), e.urlToken(),
                e.groupContentType(), e.targetEventId(), e.redelivery(), e.source());
    }

    @Test
    void aCapturedFriendAddReplayedAfterTheDeduplicationMemoryIsStaleAndNeitherOpensARoomNorGreets() {
        try (PolicyDriver p = new PolicyDriver()) {
            ConnectorEvent captured = friendAdd("fa-1", "acme", "m1", "U1", "tok-1");
            p.settings(settings("acme", Connector.LINE).byMember().greeting("hello", null).build())
                    .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                    .member(granted("acme", Connector.LINE, "m2", "tok-2", 1))
                    .event(captured, T0 + 2_000);
            assertEquals(1, p.rooms(RoomCommand.Action.OPENED).size());
            assertEquals(1, p.greetings.size());
            p.event(stamped(unfollow("uf-1", "acme", "m1", "U1"), T0 + HOUR), T0 + HOUR);
            assertEquals(1, p.rooms(RoomCommand.Action.CLOSED).size());

            // eight days later: other traffic moves stream time past the 7-day de-duplication memory ...
            long later = T0 + 8 * DAY;
            p.event(stamped(friendAdd("fa-2", "acme", "m2", "U2", "tok-2"), later), later);
            p.clearOutputs();
            // ... and the captured friend-add is replayed, exactly as it was
            p.event(captured, later + 1_000);

            assertTrue(p.rooms.isEmpty(), "a stale replay opens no room: " + p.rooms);
            assertTrue(p.greetings.isEmpty(), "a stale replay greets nobody: " + p.greetings);
            AuditRecord stale = p.auditFor("fa-1");
            assertEquals(AuditKind.STALE, stale.kind());
            assertEquals("FRESHNESS", stale.rule());
            assertEquals(T0, stale.timestamp());
            assertEquals("older-than-window", stale.detail().get("staleness"));
            assertTrue(stale.reason().contains("refused as stale"), stale.reason());
            assertEquals("acme", stale.tenant());
        }
    }

    @Test
    void aStaleMessageWrittenByThePlatformIsNotDeliveredNorKeptInHistory() {
        try (PolicyDriver p = new PolicyDriver()) {
            p.settings(settings("acme", Connector.LINE).allMembers().build())
                    .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                    .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                    .clearOutputs()
                    .event(message("old-msg", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "from last week"),
                            T0 + 4 * DAY);

            assertTrue(p.deliveries.isEmpty(), "nothing stale reaches an output: " + p.deliveries);
            assertTrue(p.history.isEmpty(), "a refused stale event is no conversation: " + p.history);
            assertEquals(AuditKind.STALE, p.auditFor("old-msg").kind());
            assertTrue(p.auditFor("old-msg").contentDigest() != null, "the audit keeps the digest, never the text");

            // the same message written on time is delivered: it was refused for its age only
            p.event(message("new-msg", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "today"), T0 + 10_000);
            assertEquals(AuditKind.DELIVERED, p.auditFor("new-msg").kind());
        }
    }

    /** A 2 h window with 1 min lead; members m1 and m2 of acme granted with tok-1 and tok-2. */
    private static PolicyDriver twoHourWindowTwoMembers() {
        PolicyDriver p = new PolicyDriver(Map.of("POLICY_MAX_EVENT_AGE", "2h", "POLICY_MAX_EVENT_LEAD", "1m"));
        return p.settings(settings("acme", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .member(granted("acme", Connector.LINE, "m2", "tok-2", 1));
    }

    @Test
    void exactlyTheWindowOldIsFreshOneMillisecondMoreIsStale() {
        try (PolicyDriver p = twoHourWindowTwoMembers()) {
            p.event(friendAdd("at-limit", "acme", "m1", "U1", "tok-1"), T0 + 2 * HOUR)
                    .event(friendAdd("past-limit", "acme", "m2", "U2", "tok-2"), T0 + 2 * HOUR + 1);

            assertEquals(AuditKind.ROOM_OPENED, p.auditFor("at-limit").kind());
            assertEquals(AuditKind.STALE, p.auditFor("past-limit").kind());
            assertEquals(1, p.rooms(RoomCommand.Action.OPENED).size());
        }
    }

    @Test
    void anEventStampedFurtherAheadThanTheClockSkewAllowanceIsRefusedToo() {
        try (PolicyDriver p = twoHourWindowTwoMembers()) {
            p.event(stamped(friendAdd("lead-ok", "acme", "m1", "U1", "tok-1"), T0 + 60_000 + 5_000), T0 + 5_000)
                    .event(stamped(friendAdd("lead-too-far", "acme", "m2", "U2", "tok-2"), T0 + 60_001 + 6_000), T0 + 6_000);

            assertEquals(AuditKind.ROOM_OPENED, p.auditFor("lead-ok").kind());
            AuditRecord ahead = p.auditFor("lead-too-far");
            assertEquals(AuditKind.STALE, ahead.kind());
            assertEquals("stamped-ahead", ahead.detail().get("staleness"));
        }
    }

    @Test
    void everyStaleCopyIsAuditedAndTheDecisionsDoNotDependOnWhenTheyAreMade() {
        List<String> first;
        List<String> second;
        try (PolicyDriver p = new PolicyDriver()) {
            first = staleStory(p);
        }
        try (PolicyDriver p = new PolicyDriver()) {
            second = staleStory(p);
        }
        assertEquals(first, second);
        assertEquals(2, first.stream().filter(k -> k.equals("STALE")).count(), first.toString());
    }

    private static List<String> staleStory(PolicyDriver p) {
        ConnectorEvent old = friendAdd("fa-old", "acme", "m1", "U1", "tok-1");
        p.settings(settings("acme", Connector.LINE).byMember().build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(old, T0 + 5 * DAY)
                .event(old, T0 + 5 * DAY + 1_000);
        return p.audit.stream().map(a -> a.kind().name()).toList();
    }

    @Test
    void aWindowThatDoesNotFitInsideTheDeduplicationMemoryIsRefusedAtStartup() {
        var e = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of(
                "AUDIT_CHAIN_KEYS", TestAuditKeys.KEYS,
                "POLICY_DEDUP_RETENTION_HOURS", "48", "POLICY_MAX_EVENT_AGE", "48h")));
        assertTrue(e.getMessage().contains("POLICY_MAX_EVENT_AGE"), e.getMessage());
        assertTrue(e.getMessage().contains("POLICY_DEDUP_RETENTION_HOURS"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of(
                "AUDIT_CHAIN_KEYS", TestAuditKeys.KEYS, "POLICY_MAX_EVENT_AGE", "three days")));
        assertTrue(bad.getMessage().contains("POLICY_MAX_EVENT_AGE"), bad.getMessage());

        assertEquals(EventFreshness.DEFAULT, PolicyConfig.fromEnvironment(Map.of("AUDIT_CHAIN_KEYS", TestAuditKeys.KEYS)).options().freshness());
        // a shorter memory without a window of its own gets a window that fits
        EventFreshness shrunk = PolicyConfig.fromEnvironment(Map.of("AUDIT_CHAIN_KEYS", TestAuditKeys.KEYS, "POLICY_DEDUP_RETENTION_HOURS", "24"))
                .options().freshness();
        assertTrue(shrunk.maxAge().plus(shrunk.maxLead()).compareTo(Duration.ofHours(24)) < 0, shrunk.toString());
    }
}
