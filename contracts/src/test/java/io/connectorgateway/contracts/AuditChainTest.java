package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.json.JsonSerde;
import io.connectorgateway.testsupport.TestAuditKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {
    private static final AuditKeys KEYS = AuditKeys.parse(TestAuditKeys.KEYS, null);

    private static List<AuditRecord> chain(int n) {
        List<AuditRecord> out = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < n; i++) {
            AuditRecord r = new AuditRecord(1, "DELIVERED:e" + i, "acme", Connector.LINE, AuditKind.DELIVERED, "R5b",
                    "delivered", 3L, Samples.T + i, "e" + i, "room-1", "m-1", "U1", Direction.INBOUND, null,
                    "ab".repeat(32), List.of(), null, null, Map.of("b", "2", "a", "1"), null, null);
            AuditRecord linked = AuditChain.link("policy", prev, r, KEYS);
            out.add(linked);
            prev = linked.hash();
        }
        return out;
    }

    /** First problem found walking the list, or null. */
    private static String walk(List<AuditRecord> records) {
        String prev = null;
        for (AuditRecord r : records) {
            String problem = AuditChain.check(prev, r, KEYS);
            if (problem != null) {
                return problem;
            }
            prev = r.hash();
        }
        return null;
    }

    @Test
    void anIntactChainVerifiesAlsoAfterASerdeRoundTrip() {
        var serde = JsonSerde.lenient(AuditRecord.class);
        List<AuditRecord> read = chain(5).stream().map(r -> serde.deserialize("t", serde.serialize("t", r))).toList();
        assertNull(walk(read));
        assertTrue(read.get(0).prevHash().equals(AuditChain.GENESIS));
    }

    @Test
    void alteringARecordIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(5));
        AuditRecord r = c.get(2);
        c.set(2, new AuditRecord(1, r.auditId(), r.tenant(), r.connector(), AuditKind.BLOCKED, r.rule(), r.reason(),
                r.settingsVersion(), r.timestamp(), r.eventId(), r.roomId(), r.memberId(), r.externalUserId(), r.direction(),
                r.actor(), r.contentDigest(), r.attachmentKinds(), r.before(), r.after(), r.detail(), r.chain(), r.keyId(),
                r.prevHash(), r.hash()));
        String problem = walk(c);
        assertNotNull(problem);
        assertTrue(problem.contains(r.auditId()) && problem.contains("altered"), problem);
    }

    @Test
    void removingARecordIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(5));
        c.remove(1);
        String problem = walk(c);
        assertNotNull(problem);
        assertTrue(problem.contains("removed, inserted or reordered"), problem);
    }

    @Test
    void reorderingRecordsIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(5));
        AuditRecord two = c.get(2);
        c.set(2, c.get(3));
        c.set(3, two);
        assertNotNull(walk(c));
    }

    @Test
    void recomputingOneHashAfterAlteringStillBreaksTheNextLink() {
        List<AuditRecord> c = new ArrayList<>(chain(4));
        AuditRecord r = c.get(1);
        AuditRecord forged = new AuditRecord(1, r.auditId(), r.tenant(), r.connector(), r.kind(), r.rule(), "forged",
                r.settingsVersion(), r.timestamp(), r.eventId(), r.roomId(), r.memberId(), r.externalUserId(), r.direction(),
                r.actor(), r.contentDigest(), r.attachmentKinds(), r.before(), r.after(), r.detail(), null, null);
        c.set(1, AuditChain.link("policy", c.get(0).hash(), forged, KEYS));
        String problem = walk(c);
        assertNotNull(problem);
        assertTrue(problem.contains(c.get(2).auditId()), problem);
    }
}
