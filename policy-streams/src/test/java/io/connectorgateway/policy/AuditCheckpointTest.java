package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.policy.state.PolicyStores;
import io.connectorgateway.testsupport.TestAuditKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy task, as the audit chain's writer: records keyed with the active key, and a signed
 * checkpoint every {@code POLICY_CHECKPOINT_RECORDS} records and at the wall-clock punctuation,
 * in the same task (and so the same transaction) as the records; a chain of an earlier release is
 * continued keyed.
 */
class AuditCheckpointTest {
    private static final AuditKeys KEYS = AuditKeys.parse(TestAuditKeys.KEYS, null);
    private final PolicyDriver p = new PolicyDriver(Map.of("POLICY_CHECKPOINT_RECORDS", "3",
            "POLICY_CHECKPOINT_INTERVAL_MS", "5000"));

    @AfterEach
    void close() {
        p.close();
    }

    /** One audit record per message (refused: there is no room). */
    private void messages(String tenant, int n) {
        for (int i = 0; i < n; i++) {
            p.event(message(tenant + "-m" + i, tenant, Connector.LINE, "m1", "U1", Direction.INBOUND, "hi"));
        }
    }

    private List<AuditRecord> chainOf(String tenant) {
        return p.audit.stream().filter(a -> a.tenant().equals(tenant)).toList();
    }

    private static AuditChainVerifier.Report verify(List<AuditCheckpoint> checkpoints, List<AuditRecord> records) {
        return AuditChainVerifier.verify(KEYS, checkpoints, records);
    }

    @Test
    void everyNRecordsAndAtThePunctuationEachChainGetsASignedCheckpoint() {
        p.settings(settings("acme", Connector.LINE).build());
        messages("acme", 7);
        messages("globex", 1);
        List<AuditRecord> acme = chainOf("acme");
        assertEquals(7, acme.size());
        acme.forEach(a -> assertEquals(KEYS.activeId(), a.keyId(), "keyed with the active key"));
        assertEquals(List.of(3L, 6L), p.checkpoints.stream().map(AuditCheckpoint::records).toList(),
                "every 3 records, at once");

        p.advanceWallClock(Duration.ofSeconds(6));
        assertEquals(List.of(3L, 6L, 7L, 1L), p.checkpoints.stream().map(AuditCheckpoint::records).toList(),
                "the punctuation covers what is left of every chain");
        for (AuditCheckpoint cp : p.checkpoints) {
            assertNull(cp.check(KEYS), "signed");
            assertEquals(AuditChain.GENESIS, cp.base());
            assertEquals("policy-ttd", cp.chain());
            List<AuditRecord> chain = chainOf(cp.tenant());
            assertEquals(chain.get((int) cp.records() - 1).hash(), cp.head(), "head = the record at its count");
        }
        assertEquals("acme:policy-ttd", p.checkpoints.get(2).key());

        p.advanceWallClock(Duration.ofSeconds(6));
        assertEquals(4, p.checkpoints.size(), "nothing new, no new checkpoint");

        List<AuditRecord> all = new ArrayList<>(p.audit);
        AuditChainVerifier.Report report = verify(p.checkpoints, all);
        assertTrue(report.intact() && report.uncoveredByChain().isEmpty(), report.toString());
        all.remove(acme.get(6));
        AuditChainVerifier.Report cut = verify(p.checkpoints, all);
        assertFalse(cut.intact());
        assertTrue(cut.firstBreakByTenant().get(AuditChainVerifier.label("acme", "policy-ttd")).problem()
                .contains("cut-off tail"), cut.toString());
    }

    @Test
    void aChainOfAnEarlierReleaseIsContinuedKeyedAndCheckpointedFromItsHead() {
        String legacyHead = AuditChain.linkUnkeyed(null, null, new AuditRecord(1, "SETTINGS_CHANGED:old", "acme",
                Connector.LINE, io.connectorgateway.contracts.audit.AuditKind.SETTINGS_CHANGED, "R1", "old", 1L,
                Fixtures.T0, "old", null, null, null, null, null, null, List.of(), null, null, Map.of(), null, null)).hash();
        KeyValueStore<String, String> heads = p.driver.getKeyValueStore(PolicyStores.AUDIT_CHAIN_HEADS);
        heads.put("acme", legacyHead); // what an earlier release left in the store: the bare hash

        messages("acme", 2);
        p.advanceWallClock(Duration.ofSeconds(6));
        List<AuditRecord> acme = chainOf("acme");
        assertEquals(legacyHead, acme.get(0).prevHash(), "the chain goes on, it does not fork");
        assertEquals(1, p.checkpoints.size());
        AuditCheckpoint cp = p.checkpoints.get(0);
        assertEquals(legacyHead, cp.base());
        assertEquals(2, cp.records());
        assertEquals(acme.get(1).hash(), cp.head());
    }
}
