package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unsend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** R10: one audit record per decision naming event, rule, settings version and actor; history and unsend. */
class AuditAndHistoryTest {
    private static final io.connectorgateway.contracts.audit.AuditKeys KEYS =
            io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null);
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void everyDecisionHasExactlyOneAuditRecordWithRuleVersionAndActorAndNeverTheContent() {
        p.settings(settings("acme", Connector.LINE).restrict(AttachmentAction.STRIP, AttachmentKind.FILE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "secret-words-1"))
                .event(message("m-2", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "secret-words-2",
                        AttachmentKind.FILE))
                .event(message("m-3", "acme", Connector.LINE, "m1", "U9", Direction.OUTBOUND, "secret-words-3"));

        assertEquals(4, p.audit.size());
        Set<String> ids = p.audit.stream().map(AuditRecord::auditId).collect(Collectors.toSet());
        assertEquals(4, ids.size(), "audit ids are unique");
        for (AuditRecord a : p.audit) {
            assertNotNull(a.rule());
            assertEquals(1L, a.settingsVersion());
            assertNotNull(a.actor());
            assertEquals("acme", a.tenant());
            String json = new String(p.topics.audit.valueSerde().serializer().serialize("t", a), StandardCharsets.UTF_8);
            assertFalse(json.contains("secret-words"), "no content in the audit trail: " + json);
        }
        assertEquals(Actor.Role.EXTERNAL_USER, p.auditFor("m-1").actor().role());
        assertEquals(Actor.Role.MEMBER, p.auditFor("m-2").actor().role());
        assertEquals(64, p.auditFor("m-1").contentDigest().length(), "SHA-256 hex digest instead");
        assertEquals(List.of(AuditKind.DELIVERED, AuditKind.STRIPPED, AuditKind.REFUSED),
                p.history.stream().map(HistoryEntry::decision).toList(), "one history entry per message decision");
        assertEquals("secret-words-2", p.history.get(1).text(), "the searchable history has the content");
        assertNull(p.history.get(2).roomId(), "refused outside a room");
    }

    @Test
    void anUnsentMessageLosesItsContentInTheHistoryAndItsAuditKeepsTheDigest() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "oops", AttachmentKind.IMAGE))
                .event(unsend("un-1", "acme", "m1", "U1", Direction.INBOUND, "m-1"));

        assertEquals(2, p.history.size());
        HistoryEntry original = p.history.get(0);
        HistoryEntry rewritten = p.history.get(1);
        assertEquals("m-1", rewritten.eventId(), "same key: compaction keeps only the unsent version");
        assertTrue(rewritten.unsent());
        assertNull(rewritten.text());
        assertTrue(rewritten.attachments().isEmpty());
        assertEquals(original.roomId(), rewritten.roomId());
        assertEquals(original.timestamp(), rewritten.timestamp());
        assertEquals(AuditKind.DELIVERED, rewritten.decision());
        assertEquals(AuditKind.UNSENT, p.auditFor("un-1").kind());
        assertEquals("m-1", p.auditFor("un-1").detail().get("targetEventId"));
        assertNotNull(p.auditFor("m-1").contentDigest(), "the message's audit record keeps only the digest");
    }

    @Test
    void onlyTheSenderMayUnsend() {
        p.settings(settings("acme", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "mine"))
                .event(unsend("un-1", "acme", "m1", "U1", Direction.OUTBOUND, "m-1"));

        assertEquals(AuditKind.REFUSED, p.auditFor("un-1").kind());
        assertEquals(1, p.history.size(), "content stays");
    }

    @Test
    void anUnsendOfAMessageTheStreamNoLongerRemembersStillRemovesTheContent() {
        p.settings(settings("acme", Connector.LINE).build())
                .event(unsend("un-1", "acme", "m1", "U1", Direction.OUTBOUND, "long-ago"));
        assertEquals(1, p.history.size());
        assertEquals("long-ago", p.history.get(0).eventId());
        assertTrue(p.history.get(0).unsent());
    }

    /**
     * The task links its own decisions and the other services' intake records into one chain per
     * tenant, in the order it processed them, named after the application; each tenant has its own.
     */
    @Test
    void decisionsAndIntakeRecordsFormOneVerifiableChainPerTenant() {
        AuditRecord adminChange = new AuditRecord(1, "SETTINGS_CHANGED:chg-1", "acme", Connector.LINE,
                AuditKind.SETTINGS_CHANGED, "R10", "enabled", 1L, Fixtures.T0, "chg-1", null, null, null, null,
                Fixtures.ADMIN, null, List.of(), null, null, java.util.Map.of(), null, null);
        p.intake(adminChange)
                .settings(settings("acme", Connector.LINE).build())
                .settings(settings("globex", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"))
                .event(message("g-1", "globex", Connector.LINE, "m1", "U1", Direction.INBOUND, "no room"))
                .intake(new AuditRecord(1, "GREETING_SENT:greet-fa-1", "acme", Connector.LINE, AuditKind.GREETING_SENT,
                        "R7", "sent", 1L, Fixtures.T0, "fa-1", null, "m1", "U1", null, null, null, List.of(), null, null,
                        java.util.Map.of(), null, null))
                .event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hi"));

        List<AuditRecord> acme = p.audit.stream().filter(a -> a.tenant().equals("acme")).toList();
        assertEquals(List.of("SETTINGS_CHANGED:chg-1", "ROOM_OPENED", "GREETING_SENT:greet-fa-1", "DELIVERED:m-1"),
                acme.stream().map(a -> a.auditId().startsWith("ROOM_OPENED") ? "ROOM_OPENED" : a.auditId()).toList());
        String previous = null;
        for (AuditRecord a : acme) {
            assertEquals("policy-ttd", a.chain(), "named after the writer");
            assertNull(io.connectorgateway.contracts.audit.AuditChain.check(previous, a, KEYS), a.auditId());
            assertEquals(KEYS.activeId(), a.keyId(), "keyed");
            previous = a.hash();
        }
        AuditRecord globex = p.audit.stream().filter(a -> a.tenant().equals("globex")).findFirst().orElseThrow();
        assertEquals(io.connectorgateway.contracts.audit.AuditChain.GENESIS, globex.prevHash(), "its own chain");
        // altering a linked record breaks its link
        AuditRecord second = acme.get(1);
        AuditRecord altered = new AuditRecord(1, second.auditId(), "acme", second.connector(), second.kind(), second.rule(),
                "altered", second.settingsVersion(), second.timestamp(), second.eventId(), second.roomId(), second.memberId(),
                second.externalUserId(), second.direction(), second.actor(), second.contentDigest(), second.attachmentKinds(),
                null, null, second.detail(), second.chain(), second.keyId(), second.prevHash(), second.hash());
        String problem = io.connectorgateway.contracts.audit.AuditChain.check(acme.get(0).hash(), altered, KEYS);
        assertTrue(problem != null && problem.contains("HMAC"), problem);
    }
}
