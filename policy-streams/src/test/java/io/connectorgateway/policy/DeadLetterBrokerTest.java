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
}
