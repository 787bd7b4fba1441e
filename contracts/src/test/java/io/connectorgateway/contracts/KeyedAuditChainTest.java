package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.json.JsonSerde;
import io.connectorgateway.testsupport.TestAuditKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keyed audit chain (HMAC-SHA256, key ids) and its checkpoints, through the same walk
 * {@code audit verify} does: each kind of tampering (rewritten, inserted, deleted record, cut-off
 * tail, forged checkpoint, downgrade to unkeyed) is a break; chains of earlier releases verify and
 * are reported as unkeyed.
 */
class KeyedAuditChainTest {
    private static final String CHAIN = "connector-policy";
    private static final String K1 = TestAuditKeys.generate("k1");
    private static final String K2 = TestAuditKeys.generate("k2");
    private static final AuditKeys KEYS = AuditKeys.parse(K1, null);

    private static AuditRecord record(int i) {
        return new AuditRecord(1, "DELIVERED:e" + i, "acme", Connector.LINE, AuditKind.DELIVERED, "R5b", "delivered", 3L,
                Samples.T + i, "e" + i, "room-1", "m-1", "U1", Direction.INBOUND, null, "ab".repeat(32), List.of(), null, null,
                Map.of(), null, null);
    }

    /** The writer's side: n records after {@code prev}, linked with {@code keys}. */
    private static List<AuditRecord> chain(String prev, int from, int n, AuditKeys keys) {
        List<AuditRecord> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            AuditRecord r = AuditChain.link(CHAIN, prev, record(i), keys);
            out.add(r);
            prev = r.hash();
        }
        return out;
    }

    private static AuditCheckpoint checkpoint(List<AuditRecord> records, int count, AuditKeys keys) {
        return AuditCheckpoint.sign("acme", CHAIN, AuditChain.GENESIS, records.get(count - 1).hash(), count, Samples.T, keys);
    }

    private static AuditChainVerifier.Report walk(AuditKeys keys, List<AuditCheckpoint> checkpoints, List<AuditRecord> records) {
        return AuditChainVerifier.verify(keys, checkpoints, records);
    }

    private static String problem(AuditChainVerifier.Report report) {
        assertFalse(report.intact(), "expected a break");
        return report.firstBreakByTenant().values().iterator().next().problem();
    }

    @Test
    void aKeyedChainWithItsCheckpointsVerifiesAfterASerdeRoundTrip() {
        var serde = JsonSerde.lenient(AuditRecord.class);
        List<AuditRecord> c = chain(null, 0, 10, KEYS).stream().map(r -> serde.deserialize("t", serde.serialize("t", r))).toList();
        var report = walk(KEYS, List.of(checkpoint(c, 5, KEYS), checkpoint(c, 10, KEYS)), c);
        assertTrue(report.intact(), report.toString());
        assertEquals("k1", c.get(0).keyId());
        assertEquals(2, report.checkpoints());
        assertTrue(report.unkeyedByChain().isEmpty() && report.uncoveredByChain().isEmpty(), report.toString());
    }

    @Test
    void aSuffixRewrittenConsistentlyWithoutTheKeyIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(null, 0, 6, KEYS));
        // Whoever can write the topic but holds no key recomputes records 3.. with a key of their own.
        AuditKeys attacker = AuditKeys.parse(TestAuditKeys.generate("k1"), null);
        List<AuditRecord> forged = chain(c.get(2).hash(), 3, 3, attacker);
        List<AuditRecord> rewritten = new ArrayList<>(c.subList(0, 3));
        rewritten.addAll(forged);
        String problem = problem(walk(KEYS, List.of(), rewritten));
        assertTrue(problem.contains("DELIVERED:e3") && problem.contains("HMAC"), problem);
    }

    @Test
    void aSuffixRewrittenAsUnkeyedIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(null, 0, 4, KEYS));
        AuditRecord downgraded = AuditChain.linkUnkeyed(CHAIN, c.get(3).hash(), record(4));
        c.add(downgraded);
        String problem = problem(walk(KEYS, List.of(), c));
        assertTrue(problem.contains("DELIVERED:e4") && problem.contains("unkeyed"), problem);
    }

    @Test
    void anInsertedRecordIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(null, 0, 6, KEYS));
        // Inserted after record 2, linked after it with a hash that cannot be the key's.
        c.add(3, AuditChain.linkUnkeyed(CHAIN, c.get(2).hash(), record(99)).chained(CHAIN, "k1", c.get(2).hash(),
                "ff".repeat(32)));
        String problem = problem(walk(KEYS, List.of(checkpoint(chain(null, 0, 6, KEYS), 6, KEYS)), c));
        assertTrue(problem.contains("DELIVERED:e99") && problem.contains("HMAC"), problem);
    }

    @Test
    void aDeletedRecordIsDetected() {
        List<AuditRecord> c = new ArrayList<>(chain(null, 0, 6, KEYS));
        c.remove(2);
        String problem = problem(walk(KEYS, List.of(), c));
        assertTrue(problem.contains("DELIVERED:e3") && problem.contains("removed, inserted or reordered"), problem);
    }

    @Test
    void aCutOffTailIsDetectedByTheCheckpoint() {
        List<AuditRecord> c = chain(null, 0, 10, KEYS);
        // Records 8-10 gone (a truncated partition, a topic re-created without them): every link that
        // is left holds, only the checkpoint knows the chain went further.
        List<AuditRecord> cut = c.subList(0, 7);
        assertTrue(walk(KEYS, List.of(), cut).intact(), "without checkpoints the cut is invisible");
        var report = walk(KEYS, List.of(checkpoint(c, 5, KEYS), checkpoint(c, 10, KEYS)), cut);
        String problem = problem(report);
        assertTrue(problem.contains("cut-off tail") && problem.contains("reaches record 10") && problem.contains("record 7"),
                problem);
    }

    @Test
    void aWholeChainRemovedIsDetectedByItsCheckpoint() {
        List<AuditRecord> c = chain(null, 0, 3, KEYS);
        String problem = problem(walk(KEYS, List.of(checkpoint(c, 3, KEYS)), List.of()));
        assertTrue(problem.contains("holds none"), problem);
    }

    @Test
    void aForgedOrAlteredCheckpointIsDetected() {
        List<AuditRecord> c = chain(null, 0, 5, KEYS);
        AuditCheckpoint real = checkpoint(c, 5, KEYS);
        AuditCheckpoint lowered = new AuditCheckpoint(1, real.tenant(), real.chain(), real.keyId(), real.base(),
                c.get(2).hash(), 3, real.timestamp(), real.mac());
        String problem = problem(walk(KEYS, List.of(lowered), c));
        assertTrue(problem.contains("does not match its HMAC"), problem);
        AuditCheckpoint foreign = checkpoint(c, 5, AuditKeys.parse(TestAuditKeys.generate("other"), null));
        assertTrue(problem(walk(KEYS, List.of(foreign), c)).contains("key id 'other'"));
    }

    @Test
    void recordsAfterTheLastCheckpointAreReportedAsUncovered() {
        List<AuditRecord> c = chain(null, 0, 8, KEYS);
        var report = walk(KEYS, List.of(checkpoint(c, 5, KEYS)), c);
        assertTrue(report.intact(), report.toString());
        var uncovered = report.uncoveredByChain().get(AuditChainVerifier.label("acme", CHAIN));
        assertEquals(3, uncovered.records());
        assertEquals(c.get(5).timestamp(), uncovered.oldestTimestamp());
        assertEquals(Samples.T, uncovered.lastCheckpointAt());
    }

    @Test
    void chainsOfEarlierReleasesVerifyAreLabelledUnkeyedAndAreContinuedKeyed() {
        List<AuditRecord> legacy = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < 4; i++) {
            AuditRecord r = AuditChain.linkUnkeyed(CHAIN, prev, record(i));
            legacy.add(r);
            prev = r.hash();
        }
        var report = walk(KEYS, List.of(), legacy);
        assertTrue(report.intact(), report.toString());
        assertEquals(Map.of(AuditChainVerifier.label("acme", CHAIN), 4L), report.unkeyedByChain());

        // This release continues the chain keyed; its checkpoint counts from the last unkeyed head.
        List<AuditRecord> keyed = chain(prev, 4, 3, KEYS);
        List<AuditRecord> all = new ArrayList<>(legacy);
        all.addAll(keyed);
        AuditCheckpoint cp = AuditCheckpoint.sign("acme", CHAIN, prev, keyed.get(2).hash(), 3, Samples.T, KEYS);
        var upgraded = walk(KEYS, List.of(cp), all);
        assertTrue(upgraded.intact(), upgraded.toString());
        assertTrue(upgraded.uncoveredByChain().isEmpty(), upgraded.toString());
        // ... and the checkpoint still catches a cut tail of the keyed part.
        assertTrue(problem(walk(KEYS, List.of(cp), all.subList(0, 6))).contains("cut-off tail"));
    }

    @Test
    void keysRotateAndEveryConfiguredKeyIdVerifies() {
        AuditKeys first = AuditKeys.parse(K1, null);
        AuditKeys rotated = AuditKeys.parse(K1 + "," + K2, "k2");
        List<AuditRecord> c = new ArrayList<>(chain(null, 0, 3, first));
        c.addAll(chain(c.get(2).hash(), 3, 3, rotated));
        assertEquals("k2", c.get(5).keyId());
        assertTrue(walk(rotated, List.of(), c).intact());
        String problem = problem(walk(AuditKeys.parse(K2, null), List.of(), c));
        assertTrue(problem.contains("key id 'k1'") && problem.contains("not among the configured"), problem);
    }

    @Test
    void theSameRecordUnderAnotherKeyHasAnotherHash() {
        AuditRecord a = AuditChain.link(CHAIN, null, record(1), KEYS);
        AuditRecord b = AuditChain.link(CHAIN, null, record(1), AuditKeys.parse(TestAuditKeys.generate("k1"), null));
        assertNotEquals(a.hash(), b.hash());
        assertNull(AuditChain.check(null, a, KEYS));
    }

    @Test
    void keysComeFromTheEnvironmentAndMissingOrWeakKeysAreRefusedWithWhatToSet() {
        var missing = assertThrows(IllegalArgumentException.class, () -> AuditKeys.fromEnvironment(Map.of(), "policy-streams"));
        assertTrue(missing.getMessage().contains("policy-streams needs the audit chain key")
                && missing.getMessage().contains("AUDIT_CHAIN_KEYS"), missing.getMessage());
        var weak = assertThrows(IllegalArgumentException.class, () -> AuditKeys.parse("k1:c2hvcnQ=", null));
        assertTrue(weak.getMessage().contains("at least 32"), weak.getMessage());
        var two = assertThrows(IllegalArgumentException.class, () -> AuditKeys.parse(K1 + "," + K2, null));
        assertTrue(two.getMessage().contains("AUDIT_CHAIN_KEY_ID"), two.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> AuditKeys.parse(K1, "k9"));
        assertTrue(unknown.getMessage().contains("'k9'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuditKeys.parse(K1 + "," + K1, "k1"));
        String secret = K1.substring(3);
        assertFalse(AuditKeys.parse(K1, null).toString().contains(secret), "toString shows no key material");
        assertEquals("k1", AuditKeys.fromEnvironment(Map.of("AUDIT_CHAIN_KEYS", K1), "x").activeId());
    }
}
