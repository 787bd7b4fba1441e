package io.connectorgateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit chain as deployed (linked by the policy task that owns the tenant's partition): every
 * service's intake records come out on connector.audit linked per tenant, in intake order, named
 * after the policy application, and the chain verifies; a tampered record is found; a record keyed
 * by something other than its tenant is dead-lettered.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AuditChainBrokerTest {

    private static AuditRecord record(String tenant, int i) {
        return new AuditRecord(1, "SETTINGS_CHANGED:" + tenant + "-" + i, tenant, Connector.LINE, AuditKind.SETTINGS_CHANGED,
                "R10", "change " + i, (long) i, 1_760_000_000_000L + i, "chg-" + i, null, null, null, Direction.INBOUND,
                null, null, List.of(), null, null, Map.of("n", Integer.toString(i)), null, null);
    }

    @Test
    void intakeRecordsAreChainedPerTenantAndVerify(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 3)) {
            stack.start("chain");
            for (int i = 0; i < 30; i++) {
                String tenant = i % 3 == 0 ? "acme" : i % 3 == 1 ? "globex" : "initech";
                stack.send(stack.topics.auditIntake, tenant, record(tenant, i));
            }
            stack.send(stack.topics.auditIntake.name(), "wrong-key".getBytes(StandardCharsets.UTF_8),
                    stack.topics.auditIntake.valueSerde().serializer().serialize("", record("acme", 99)));

            var chained = BrokerStack.values(stack.read(stack.topics.audit, r -> r.size() >= 30));
            assertEquals(30, chained.size());
            var acme = chained.stream().filter(a -> a.tenant().equals("acme")).toList();
            assertEquals(AuditChain.GENESIS, acme.get(0).prevHash());
            String chainName = ns.appId("chain");
            assertTrue(chained.stream().allMatch(a -> chainName.equals(a.chain())), "named after the writer: " + chained);
            for (int i = 1; i < acme.size(); i++) {
                assertEquals(acme.get(i - 1).hash(), acme.get(i).prevHash(), "linked in intake order");
                assertTrue(acme.get(i - 1).auditId().compareTo(acme.get(i).auditId()) != 0);
            }
            assertTrue(chained.stream().allMatch(a -> a.keyId() != null), "keyed: " + chained);
            // The punctuation checkpoints each chain, in the transaction of its own, on the broker.
            var checkpoints = BrokerStack.values(stack.read(stack.topics.auditCheckpoints,
                    r -> r.stream().filter(c -> c.value().records() == 10).count() >= 3));
            assertTrue(checkpoints.stream().allMatch(c -> c.key().startsWith(c.tenant() + ":") && chainName.equals(c.chain())),
                    checkpoints.toString());
            var report = AuditChainVerifier.verify(broker.consumerConfig(ns.appId("verify")), stack.topics,
                    io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null), null);
            assertTrue(report.intact(), "chain intact: " + report);
            assertEquals(3, report.tenants());
            assertEquals(30, report.records());
            assertTrue(report.checkpoints() >= 3 && report.uncoveredByChain().isEmpty(), report.toString());

            var dead = stack.readRaw(stack.topics.dlq.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    r -> !r.isEmpty());
            assertEquals(1, dead.size());
            DeadLetter dl = DeadLetter.fromRecord(dead.get(0));
            assertEquals("wrong-key", new String(dl.key(), StandardCharsets.UTF_8));
            assertEquals(stack.topics.auditIntake.name(), dl.sourceTopic());
            assertTrue(dl.reason().contains("must be keyed by tenant"), dl.reason());

            // Tampering after the fact: an altered copy appended as if it belonged to the chain.
            AuditRecord last = acme.get(acme.size() - 1);
            AuditRecord forged = new AuditRecord(1, "SETTINGS_CHANGED:forged", "acme", Connector.LINE, AuditKind.SETTINGS_CHANGED,
                    "R10", "nothing to see", 1L, last.timestamp() + 1, "x", null, null, null, null, null, null, List.of(), null,
                    null, Map.of(), last.chain(), last.hash(), last.hash());
            stack.send(stack.topics.audit, "acme", forged);
            var broken = AuditChainVerifier.verify(broker.consumerConfig(ns.appId("verify2")), stack.topics,
                    io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null), null);
            String acmeChain = AuditChainVerifier.label("acme", chainName);
            assertTrue(!broken.intact() && broken.firstBreakByTenant().containsKey(acmeChain), broken.toString());
            assertTrue(broken.firstBreakByTenant().get(acmeChain).problem().contains("altered"), broken.toString());
            assertEquals(1, broken.firstBreakByTenant().size(), "the other tenants' chains are untouched");
        }
    }
}
