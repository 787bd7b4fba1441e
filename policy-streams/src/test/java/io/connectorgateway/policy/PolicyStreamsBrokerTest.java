package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The application end to end on a real broker with exactly_once_v2, outputs read read_committed. */
@ExtendWith(KafkaBrokerExtension.class)
class PolicyStreamsBrokerTest {

    @Test
    void judgesEventsEndToEndWithExactlyOnce(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 2)) {
            var app = stack.start("policy");
            assertTrue(app.awaitRunning(KafkaBroker.patience()), "state: " + app.state());

            stack.settings(settings("acme", Connector.LINE).greeting("welcome", "sale")
                    .restrict(AttachmentAction.STRIP, AttachmentKind.IMAGE).build());
            stack.member(granted("acme", Connector.LINE, "m1", "tok-1", 1));
            stack.awaitSettings("acme:LINE", 1);
            stack.awaitMember("acme:LINE:m1", 1);
            stack.event(friendAdd("fa-1", "acme", "m1", "U1", "tok-1"));
            stack.event(Fixtures.redelivered(friendAdd("fa-1", "acme", "m1", "U1", "tok-1")));
            stack.event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hello",
                    AttachmentKind.IMAGE, AttachmentKind.STICKER));
            stack.event(message("msg-2", "acme", Connector.LINE, "m1", "U9", Direction.OUTBOUND, "nobody here"));

            List<AuditRecord> audit = BrokerStack.values(stack.readSettled(stack.topics.audit, r -> r.size() >= 4,
                    Duration.ofSeconds(2)));
            // events of different conversations live on different partitions: compare without order
            assertEquals(List.of("fa-1=DUPLICATE", "fa-1=ROOM_OPENED", "msg-1=STRIPPED", "msg-2=REFUSED"),
                    audit.stream().map(a -> a.eventId() + "=" + a.kind()).sorted().toList(),
                    "one audit record per decision, each once: " + audit);

            List<Delivery> deliveries = BrokerStack.values(stack.readSettled(stack.topics.deliveries, r -> r.size() >= 1,
                    Duration.ofSeconds(1)));
            assertEquals(1, deliveries.size());
            assertNull(deliveries.get(0).text(), "the delivery carries its content sealed only");
            assertTrue(deliveries.get(0).attachments().isEmpty(), "the delivery carries its content sealed only");
            Delivery opened = stack.opened(deliveries.get(0));
            assertEquals("hello", opened.text());
            assertEquals(List.of(AttachmentKind.STICKER), opened.attachments().stream().map(Attachment::kind).toList());
            assertEquals(1, stack.read(stack.topics.greetings, r -> r.size() >= 1).size());
            List<RoomCommand> rooms = BrokerStack.values(stack.read(stack.topics.rooms, r -> r.size() >= 1));
            assertEquals(RoomCommand.Action.OPENED, rooms.get(0).action());
            assertEquals(rooms.get(0).roomId(), deliveries.get(0).roomId());
            assertEquals(KafkaStreams.State.RUNNING, app.state());
        }
    }

    @Test
    void refusesToStartWhenTheInputsHaveAnotherPartitionCountThanConfigured(KafkaBroker broker,
                                                                           KafkaBroker.Namespace ns) throws Exception {
        // The topics exist with 3 partitions; the service is configured for 2, so it would expect
        // each tenant on another partition than the producers put it.
        try (var admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(new Topics(ns.topicPrefix(), 3, (short) 1));
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", ns.topicPrefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", "2");
        env.put("POLICY_APPLICATION_ID", ns.appId("partitions"));
        env.put("POLICY_STATE_DIR", Files.createTempDirectory("policy-partitions").toString());
        env.put("POLICY_TOKEN_SECRET", "a-test-secret-of-enough-bytes");
        env.putAll(io.connectorgateway.testsupport.TestAuditKeys.env());
        env.put("POLICY_HEALTH_PORT", "-1");
        PolicyConfig config = PolicyConfig.fromEnvironment(env);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PolicyStreamsService.start(config).close());
        assertTrue(e.getMessage().contains(ns.topicPrefix() + "connector.line.events has 3 partitions, the catalogue wants exactly 2")
                && e.getMessage().contains("CONNECTOR_TOPIC_PARTITIONS"), e.getMessage());
    }
}
