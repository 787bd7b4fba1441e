package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicCatalogueBrokerTest {

    @Test
    void bootstrapperCreatesTheWholeCatalogueOnceAndVerifiesItTheSecondTime(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Topics topics = new Topics(ns.topicPrefix(), 3, (short) 1);
        try (var admin = broker.admin()) {
            var bootstrapper = new TopicBootstrapper(admin, Duration.ofSeconds(30));
            var first = bootstrapper.ensure(topics);
            assertEquals(topics.all().size(), first.created().size(), "first run creates every topic");
            var second = bootstrapper.ensure(topics);
            assertEquals(List.of(), second.created(), "second run creates nothing");
            assertEquals(topics.all().size(), second.verified().size());

            var described = admin.describeTopics(topics.all().stream().map(t -> t.name()).toList()).allTopicNames().get();
            described.values().forEach(d -> assertEquals(3, d.partitions().size(), d.name()));
            var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topics.settings.name()))).all().get();
            assertEquals("compact", config.values().iterator().next().get("cleanup.policy").value(), "settings are compacted");
        }
    }

    @Test
    void aTopicWithTheWrongCleanupPolicyIsReportedNotPaperedOver(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Topics topics = new Topics(ns.topicPrefix(), 1, (short) 1);
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topics.settings.name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get();
            var e = assertThrows(IllegalStateException.class,
                    () -> new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics));
            assertTrue(e.getMessage().contains(topics.settings.name() + " has cleanup.policy=delete"), e.getMessage());
        }
    }

    @Test
    void transactionalWritesAreSeenReadCommittedAndAbortedOnesAreNot(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Topics topics = new Topics(ns.topicPrefix(), 2, (short) 1);
        try (var admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics);
        }
        var events = topics.lineEvents;
        Map<String, Object> pc = broker.producerConfig();
        pc.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ns.appId("tx"));
        try (var producer = new KafkaProducer<>(pc, events.keySerde().serializer(), events.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                ConnectorEvent e = ConnectorEvent.builder().eventId("committed-" + i).tenant("acme").connector(Connector.LINE)
                        .direction(Direction.INBOUND).type(io.connectorgateway.contracts.event.EventType.MESSAGE)
                        .memberId("m1").externalUserId("U" + i).timestamp(Samples.T + i).text("hi " + i).build();
                producer.send(new ProducerRecord<>(events.name(), e.pairKey(), e));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            ConnectorEvent aborted = ConnectorEvent.builder().eventId("aborted").tenant("acme").connector(Connector.LINE)
                    .direction(Direction.INBOUND).type(io.connectorgateway.contracts.event.EventType.MESSAGE)
                    .memberId("m1").externalUserId("U0").timestamp(Samples.T).text("never").build();
            producer.send(new ProducerRecord<>(events.name(), aborted.pairKey(), aborted));
            producer.flush();
            producer.abortTransaction();
        }

        List<ConsumerRecord<String, ConnectorEvent>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(broker.consumerConfig(ns.appId("reader")), events.keySerde().deserializer(),
                events.valueSerde().deserializer())) {
            consumer.subscribe(List.of(events.name()));
            long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            while (seen.size() < 10 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            // one more poll window: an aborted record, if visible, would come after the committed ones
            consumer.poll(Duration.ofSeconds(1)).forEach(seen::add);
        }
        var ids = seen.stream().map(r -> r.value().eventId()).collect(Collectors.toSet());
        assertEquals(10, seen.size(), "exactly the committed records: " + ids);
        assertTrue(!ids.contains("aborted"), "aborted record is invisible to read_committed");
    }
}
