package io.connectorgateway.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code connector-admin audit verify} against a real connector.audit topic: intact, then broken. */
@ExtendWith(KafkaBrokerExtension.class)
class AuditVerifyCliBrokerTest {

    private static AuditRecord record(String tenant, int i) {
        return new AuditRecord(1, "DELIVERED:e" + i, tenant, Connector.LINE, AuditKind.DELIVERED, "R5b", "delivered", 2L,
                1_760_000_000_000L + i, "e" + i, "rm-1", "m1", "U1", null, null, "00".repeat(32), List.of(), null, null,
                Map.of(), null, null);
    }

    private record Run(int code, String out) {
    }

    private static Run verify(KafkaBroker broker, Topics topics) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AdminCli.execute(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "CONNECTOR_TOPIC_PREFIX",
                topics.prefix()), new PrintWriter(out), new PrintWriter(err), "audit", "verify");
        return new Run(code, out + err.toString());
    }

    @Test
    void reportsAnIntactChainAndTheFirstBrokenLink(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Topics topics = new Topics(ns.topicPrefix(), 2, (short) 1);
        try (var admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics);
        }
        List<AuditRecord> chain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // each tenant has its own chain: link after the tenant's previous record (two back)
            String tenantPrev = i >= 2 ? chain.get(i - 2).hash() : null;
            chain.add(AuditChain.link(tenantPrev, record(i % 2 == 0 ? "acme" : "globex", i)));
        }
        var audit = topics.audit;
        try (var producer = new KafkaProducer<>(broker.producerConfig(), audit.keySerde().serializer(), audit.valueSerde().serializer())) {
            for (AuditRecord r : chain) {
                producer.send(new ProducerRecord<>(audit.name(), r.tenant(), r)).get();
            }
            Run ok = verify(broker, topics);
            assertEquals(AdminCli.OK, ok.code(), ok.out());
            assertTrue(ok.out().contains("20 records, 2 chains") && ok.out().contains("chain intact"), ok.out());

            // A record removed from globex's chain: its successor no longer links.
            AuditRecord last = chain.get(19);
            AuditRecord skipped = AuditChain.link(last.hash(), record("globex", 21));
            AuditRecord afterGap = AuditChain.link(skipped.hash(), record("globex", 23));
            producer.send(new ProducerRecord<>(audit.name(), "globex", afterGap)).get();
            Run broken = verify(broker, topics);
            assertEquals(AdminCli.CHAIN_BROKEN, broken.code(), broken.out());
            assertTrue(broken.out().contains("BROKEN tenant globex") && broken.out().contains("DELIVERED:e23")
                    && broken.out().contains("removed, inserted or reordered"), broken.out());
            assertTrue(!broken.out().contains("BROKEN tenant acme"), broken.out());
        }
    }
}
