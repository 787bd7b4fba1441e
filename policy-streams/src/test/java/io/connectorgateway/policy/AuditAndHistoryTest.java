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
}
