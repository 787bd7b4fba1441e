package io.connectorgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import io.connectorgateway.testsupport.TestAuditKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code connector-admin audit verify} against real connector.audit and connector.audit.checkpoints
 * topics: intact keyed chains (and an unkeyed one of an earlier release, labelled), then one tenant
 * per kind of tampering: a rewritten, an inserted and a deleted record, and a cut-off tail.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AuditVerifyCliBrokerTest {
    private static final String CHAIN = "connector-policy";
    private static final AuditKeys KEYS = AuditKeys.parse(TestAuditKeys.KEYS, null);

    private static AuditRecord record(String tenant, int i) {
        return new AuditRecord(1, "DELIVERED:e" + i, tenant, Connector.LINE, AuditKind.DELIVERED, "R5b", "delivered", 2L,
                System.currentTimeMillis(), "e" + i, "rm-1", "m1", "U1", null, null, "00".repeat(32), List.of(), null, null,
                Map.of(), null, null);
    }

    /** What the policy writes: n keyed records of one tenant's chain. */
    private static List<AuditRecord> chain(String tenant, int n, AuditKeys keys) {
        List<AuditRecord> out = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < n; i++) {
            AuditRecord r = AuditChain.link(CHAIN, prev, record(tenant, i), keys);
            out.add(r);
            prev = r.hash();
        }
        return out;
    }

    private static AuditCheckpoint checkpoint(List<AuditRecord> chain, int count) {
        return AuditCheckpoint.sign(chain.get(0).tenant(), CHAIN, AuditChain.GENESIS, chain.get(count - 1).hash(), count,
                System.currentTimeMillis(), KEYS);
    }

    private record Run(int code, String out) {
    }

    private static Run verify(KafkaBroker broker, Topics topics, Map<String, String> keys) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(keys);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", topics.prefix());
        int code = AdminCli.execute(env, new PrintWriter(out), new PrintWriter(err), "audit", "verify");
        return new Run(code, out + err.toString());
    }

    private static Topics topics(KafkaBroker broker, String prefix) throws Exception {
        Topics topics = new Topics(prefix, 2, (short) 1);
        try (var admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics);
        }
        return topics;
    }

    private static void write(KafkaBroker broker, Topics topics, List<AuditRecord> records, List<AuditCheckpoint> checkpoints)
            throws Exception {
        var audit = topics.audit;
        var cps = topics.auditCheckpoints;
        try (var producer = new KafkaProducer<>(broker.producerConfig(), audit.keySerde().serializer(), audit.valueSerde().serializer());
             var cpProducer = new KafkaProducer<>(broker.producerConfig(), cps.keySerde().serializer(), cps.valueSerde().serializer())) {
            for (AuditRecord r : records) {
                producer.send(new ProducerRecord<>(audit.name(), r.tenant(), r)).get();
            }
            for (AuditCheckpoint c : checkpoints) {
                cpProducer.send(new ProducerRecord<>(cps.name(), c.key(), c)).get();
            }
        }
    }

    @Test
    void intactKeyedChainsVerifyAndAnEarlierReleasesChainIsLabelledUnkeyed(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Topics topics = topics(broker, ns.topicPrefix());
        List<AuditRecord> acme = chain("acme", 10, KEYS);
        List<AuditRecord> globex = chain("globex", 4, KEYS);
        List<AuditRecord> legacy = new ArrayList<>();
        String prev = null;
        for (int i = 0; i < 3; i++) {
            legacy.add(AuditChain.linkUnkeyed(null, prev, record("initech", i)));
            prev = legacy.get(i).hash();
        }
        List<AuditRecord> all = new ArrayList<>(acme);
        all.addAll(globex);
        all.addAll(legacy);
        write(broker, topics, all, List.of(checkpoint(acme, 5), checkpoint(acme, 10), checkpoint(globex, 4)));

        Run ok = verify(broker, topics, TestAuditKeys.env());
        assertEquals(AdminCli.OK, ok.code(), ok.out());
        assertTrue(ok.out().contains("17 records, 3 chains") && ok.out().contains("3 checkpoints")
                && ok.out().contains("chain intact"), ok.out());
        assertTrue(ok.out().contains("UNKEYED initech: 3 records"), ok.out());
        assertFalse(ok.out().contains("UNKEYED acme"), ok.out());

        Run noKey = verify(broker, topics, Map.of());
        assertEquals(AdminCli.USAGE, noKey.code(), noKey.out());
        assertTrue(noKey.out().contains("audit verify needs the audit chain key: set AUDIT_CHAIN_KEYS"), noKey.out());

        Run wrongKey = verify(broker, topics, Map.of("AUDIT_CHAIN_KEYS", TestAuditKeys.generate("other")));
        assertEquals(AdminCli.CHAIN_BROKEN, wrongKey.code(), wrongKey.out());
        assertTrue(wrongKey.out().contains("BROKEN tenant acme (connector-policy)")
                && wrongKey.out().contains("not among the configured audit chain keys"), wrongKey.out());
    }

    @Test
    void aRewrittenAnInsertedADeletedRecordAndACutOffTailAreEachReported(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Topics topics = topics(broker, ns.topicPrefix());
        AuditKeys attacker = AuditKeys.parse(TestAuditKeys.generate(KEYS.activeId()), null);
        List<AuditRecord> records = new ArrayList<>();
        List<AuditCheckpoint> checkpoints = new ArrayList<>();

        // rewritten: record 3 onwards recomputed consistently by someone without the key
        List<AuditRecord> rewritten = new ArrayList<>(chain("rewritten", 3, KEYS));
        String prev = rewritten.get(2).hash();
        for (int i = 3; i < 6; i++) {
            AuditRecord forged = AuditChain.link(CHAIN, prev, record("rewritten", 100 + i), attacker);
            rewritten.add(forged);
            prev = forged.hash();
        }
        records.addAll(rewritten);

        // inserted: a record slipped in after record 2, pretending to follow it
        List<AuditRecord> inserted = new ArrayList<>(chain("inserted", 6, KEYS));
        checkpoints.add(checkpoint(inserted, 6));
        inserted.add(2, AuditChain.link(CHAIN, inserted.get(1).hash(), record("inserted", 99), attacker));
        records.addAll(inserted);

        // deleted: record 3 of 6 missing
        List<AuditRecord> deleted = new ArrayList<>(chain("deleted", 6, KEYS));
        checkpoints.add(checkpoint(deleted, 6));
        deleted.remove(3);
        records.addAll(deleted);

        // cut off: the checkpoint says 10, the topic holds the first 7 (every remaining link holds)
        List<AuditRecord> cut = chain("cutoff", 10, KEYS);
        checkpoints.add(checkpoint(cut, 5));
        checkpoints.add(checkpoint(cut, 10));
        records.addAll(cut.subList(0, 7));

        List<AuditRecord> intact = chain("intact", 4, KEYS);
        checkpoints.add(checkpoint(intact, 4));
        records.addAll(intact);
        write(broker, topics, records, checkpoints);

        Run run = verify(broker, topics, TestAuditKeys.env());
        assertEquals(AdminCli.CHAIN_BROKEN, run.code(), run.out());
        String out = run.out();
        assertTrue(out.contains("BROKEN tenant rewritten (connector-policy)") && out.contains("DELIVERED:e103")
                && out.contains("does not match its HMAC"), out);
        assertTrue(out.contains("BROKEN tenant inserted (connector-policy)") && out.contains("DELIVERED:e99"), out);
        assertTrue(out.contains("BROKEN tenant deleted (connector-policy)") && out.contains("DELIVERED:e4")
                && out.contains("removed, inserted or reordered"), out);
        assertTrue(out.contains("BROKEN tenant cutoff (connector-policy)") && out.contains("cut-off tail")
                && out.contains("reaches record 10") && out.contains("ends at record 7"), out);
        assertFalse(out.contains("BROKEN tenant intact"), out);
    }
}
