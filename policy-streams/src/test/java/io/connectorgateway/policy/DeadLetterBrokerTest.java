package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Poison records go to connector.dlq with their reason (KIP-1034) and the application keeps running. */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterBrokerTest {

    @Test
    void poisonRecordsLandInTheDlqWithTheirReasonAndTheStreamGoesOn(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 1)) {
            var app = stack.start("policy");
            assertTrue(app.awaitRunning(KafkaBroker.patience()));

            // 1. not JSON at all: fails deserialisation
            byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
            stack.send(stack.topics.lineEvents.name(), "k1".getBytes(StandardCharsets.UTF_8), garbage);
            // 2. a valid event keyed by something else than its pair key: fails the input contract while processing
            ConnectorEvent misKeyed = message("bad-key", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "x");
            stack.send(stack.topics.lineEvents, "room-7", misKeyed);
            // 3. settings that break R9 (auto-grant outside BY_MEMBER): refused, not applied
            stack.settings(new TenantSettings(1, "acme", Connector.LINE, 9, Plan.BASIC, true, PermissionMode.ALL_MEMBERS,
                    true, null, null, Fixtures.change("invalid")));
            // and then good input, which must still be judged
            stack.settings(settings("acme", Connector.LINE).version(1).enabled(false).build());
            stack.awaitSettings("acme:LINE", 1);
            stack.event(message("good", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hello"));

            List<AuditRecord> audit = BrokerStack.values(stack.read(stack.topics.audit, r -> r.size() >= 1));
            assertEquals("good", audit.get(0).eventId());
            assertEquals(1L, audit.get(0).settingsVersion(), "the invalid v9 was never applied");
            assertEquals(KafkaStreams.State.RUNNING, app.state());

            List<ConsumerRecord<byte[], byte[]>> dlq = stack.readRaw(stack.topics.dlq.name(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(), r -> r.size() >= 3);
            assertEquals(3, dlq.size());
            Map<String, DeadLetter> byKey = dlq.stream().map(DeadLetter::fromRecord)
                    .collect(Collectors.toMap(d -> new String(d.key(), StandardCharsets.UTF_8), Function.identity()));

            DeadLetter undeserializable = byKey.get("k1");
            assertArrayEquals(garbage, undeserializable.value(), "the original bytes, untouched");
            assertEquals(stack.topics.lineEvents.name(), undeserializable.sourceTopic());
            assertTrue(undeserializable.reason().contains("invalid ConnectorEvent"), undeserializable.reason());

            DeadLetter wrongKey = byKey.get("room-7");
            assertTrue(wrongKey.reason().contains("keyed by tenant:connector:member:externalUser"), wrongKey.reason());
            assertTrue(wrongKey.exceptionClass().endsWith("InvalidInputException"), wrongKey.exceptionClass());

            DeadLetter badSettings = byKey.get("acme:LINE");
            assertTrue(badSettings.reason().contains("R9"), badSettings.reason());
            assertEquals(stack.topics.settings.name(), badSettings.sourceTopic());
        }
    }

    /**
     * SPEC "Partitioning": a record on another partition than its tenant's is never judged against
     * that partition's state; it is dead-lettered with the partition it belongs on, and the
     * tenant's correctly placed records are judged as if it had never come.
     */
    @Test
    void aRecordOnAnotherPartitionThanItsTenantsIsDeadLetteredNamingTheRightOne(KafkaBroker broker,
                                                                                KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 4)) {
            var app = stack.start("policy");
            assertTrue(app.awaitRunning(KafkaBroker.patience()));
            int home = TenantPartitioner.partition("acme", 4);
            int elsewhere = (home + 1) % 4;

            stack.settings(settings("acme", Connector.LINE).version(1).build());
            stack.awaitSettings("acme:LINE", 1);
            // settings v2 (disable) on the wrong partition: must not apply anywhere
            TenantSettings misplacedSettings = settings("acme", Connector.LINE).version(2).enabled(false).build();
            stack.sendTo(stack.topics.settings, elsewhere, misplacedSettings.key(), misplacedSettings);
            // a friend-add on the wrong partition: must not open a room
            ConnectorEvent misplaced = Fixtures.friendAdd("fa-wrong", "acme", "m1", "U9", "any-token");
            stack.sendTo(stack.topics.lineEvents, elsewhere, misplaced.pairKey(), misplaced);
            // then correctly placed input
            stack.event(message("after", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hello"));

            List<ConsumerRecord<byte[], byte[]>> dlq = stack.readRaw(stack.topics.dlq.name(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(), r -> r.size() >= 2);
            assertEquals(2, dlq.size(), "both misplaced records, nothing else");
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                DeadLetter d = DeadLetter.fromRecord(r);
                assertTrue(d.reason().contains("arrived on partition " + elsewhere)
                        && d.reason().contains("belongs on partition " + home), d.reason());
                assertTrue(d.exceptionClass().endsWith("InvalidInputException"), d.exceptionClass());
            }
            List<AuditRecord> audit = BrokerStack.values(stack.readSettled(stack.topics.audit, r -> r.size() >= 1,
                    java.time.Duration.ofSeconds(2)));
            assertEquals(List.of("after"), audit.stream().map(AuditRecord::eventId).toList(),
                    "the misplaced friend-add was not judged: " + audit);
            assertEquals(1L, audit.get(0).settingsVersion(), "the misplaced settings v2 was never applied");
            assertEquals(KafkaStreams.State.RUNNING, app.state());
        }
    }
}
