package io.connectorgateway.gateway.webhook;

import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_DESTINATION;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_MEMBER;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_URL_TOKEN;
import static io.connectorgateway.gateway.webhook.GatewayFixture.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Freshness at the webhook (SPEC "Qualities"): a correctly signed event older than the window (a
 * captured webhook replayed) is refused as stale: not produced, audited through the audit intake,
 * counted, and the rest of the same body goes through; the request is acknowledged (200) so the
 * platform does not redeliver it forever. With the policy service running, the stale friend-add
 * opens no room and sends no greeting while the fresh one beside it does both.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StaleWebhookBrokerTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private static String follow(String user, String webhookEventId, long timestamp) {
        return """
                {"type":"follow","mode":"active","timestamp":%d,"source":{"type":"user","userId":"%s"},
                 "webhookEventId":"%s","deliveryContext":{"isRedelivery":false},"replyToken":"rt","follow":{"isUnblocked":false}}"""
                .formatted(timestamp, user, webhookEventId);
    }

    private static String text(String user, String messageId, long timestamp) {
        return """
                {"type":"message","mode":"active","timestamp":%d,"source":{"type":"user","userId":"%s"},
                 "webhookEventId":"W%s","deliveryContext":{"isRedelivery":false},"replyToken":"r",
                 "message":{"id":"%s","type":"text","text":"hello"}}"""
                .formatted(timestamp, user, messageId, messageId);
    }

    private static String envelope(String... events) {
        return "{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[" + String.join(",", events) + "]}";
    }

    @Test
    void anEightDayOldSignedFriendAddIsStaleAuditedAndNeitherOpensARoomNorGreetsWhileTheFreshOneBesideItDoes(
            KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Path state = Files.createTempDirectory("stale-webhook");
        try (GatewayFixture gateway = GatewayFixture.start(broker, ns);
             PolicyStreamsService policy = startPolicy(broker, gateway, state);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.producerConfig(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            Change change = new Change(new Actor("admin@acme", Actor.Role.TENANT_ADMIN), "greeting on", System.currentTimeMillis());
            send(producer, gateway.topics.settings, TENANT + ":LINE", new TenantSettings(TenantSettings.SCHEMA_VERSION, TENANT,
                    Connector.LINE, 1, Plan.BASIC, true, PermissionMode.BY_MEMBER, false,
                    new Greeting(true, "Welcome!", null), AttachmentRestriction.off(), change));
            send(producer, gateway.topics.members, TENANT + ":LINE:" + LINE_MEMBER, new ConnectedMember(
                    ConnectedMember.SCHEMA_VERSION, TENANT, Connector.LINE, LINE_MEMBER, true, LINE_URL_TOKEN, 1,
                    ConnectedMember.Source.ADMIN, change));
            awaitSettingsApplied(gateway);

            String captured = GatewayFixture.newLineUser();
            String fresh = GatewayFixture.newLineUser();
            long now = System.currentTimeMillis();
            long eightDaysAgo = now - Duration.ofDays(8).toMillis();
            HttpResponse<String> r = gateway.line(envelope(follow(captured, "01CAPTURED" + captured.substring(1, 9), eightDaysAgo),
                    follow(fresh, "01FRESH" + fresh.substring(1, 9), now)));

            assertEquals(200, r.statusCode(), "acknowledged, so LINE does not redeliver it forever: " + r.body());
            JsonNode answer = Json.mapper().readTree(r.body());
            assertEquals(1, answer.path("produced").asInt(), r.body());
            assertEquals(1, answer.path("stale").asInt(), r.body());

            List<ConnectorEvent> produced = gateway.readAll(gateway.topics.lineEvents).stream().map(ConsumerRecord::value)
                    .filter(e -> e.externalUserId().equals(captured) || e.externalUserId().equals(fresh)).toList();
            assertEquals(List.of(fresh), produced.stream().map(ConnectorEvent::externalUserId).toList(),
                    "the stale event never reaches the events topic");

            AuditRecord intake = only(gateway.readAll(gateway.topics.auditIntake), a -> captured.equals(a.externalUserId()));
            assertEquals(AuditKind.STALE, intake.kind());
            assertEquals("FRESHNESS", intake.rule());
            assertEquals(TENANT, intake.tenant());
            assertEquals(eightDaysAgo, intake.timestamp());
            assertEquals("older-than-window", intake.detail().get("staleness"));

            // the policy task links it into the tenant's chain, and decides only the fresh friend-add
            List<AuditRecord> audit = awaitRecords(gateway, gateway.topics.audit,
                    list -> list.stream().anyMatch(a -> captured.equals(a.externalUserId()))
                            && list.stream().anyMatch(a -> fresh.equals(a.externalUserId()) && a.kind() == AuditKind.ROOM_OPENED));
            AuditRecord chained = only(audit, a -> captured.equals(a.externalUserId()));
            assertEquals(AuditKind.STALE, chained.kind());
            assertNotNull(chained.hash(), "linked into the tenant's audit chain");
            List<RoomCommand> rooms = gateway.readAll(gateway.topics.rooms).stream().map(ConsumerRecord::value).toList();
            assertTrue(rooms.stream().noneMatch(c -> captured.equals(c.externalUserId())), "no room for the replay: " + rooms);
            assertEquals(1, rooms.stream().filter(c -> fresh.equals(c.externalUserId())).count());
            List<GreetingCommand> greetings = gateway.readAll(gateway.topics.greetings).stream().map(ConsumerRecord::value).toList();
            assertTrue(greetings.stream().noneMatch(g -> captured.equals(g.lineUserId())), "no greeting for the replay");
            assertEquals(1, greetings.stream().filter(g -> fresh.equals(g.lineUserId())).count());

            assertTrue(gateway.management("/prometheus").body().contains("outcome=\"stale\""), "stale events are counted");
        }
    }

    @Test
    void justInsideTheWindowIsProducedJustOutsideIsStaleOnBothPlatforms(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(broker, ns)) {
            String user = GatewayFixture.newLineUser();
            long now = System.currentTimeMillis();
            HttpResponse<String> r = gateway.line(envelope(
                    text(user, "9100001", now - 72 * HOUR + 5 * MINUTE),   // late redelivery, inside 72 h
                    text(user, "9100002", now - 72 * HOUR - 5 * MINUTE),   // just past it
                    text(user, "9100003", now + 10 * MINUTE),              // clock skew, inside 15 min
                    text(user, "9100004", now + 20 * MINUTE)));            // stamped too far ahead
            assertEquals(200, r.statusCode(), r.body());
            JsonNode answer = Json.mapper().readTree(r.body());
            assertEquals(2, answer.path("produced").asInt(), r.body());
            assertEquals(2, answer.path("stale").asInt(), r.body());
            List<ConsumerRecord<String, ConnectorEvent>> events = gateway.readAll(gateway.topics.lineEvents).stream()
                    .filter(e -> e.value().externalUserId().equals(user)).toList();
            assertEquals(List.of("lm-9100001", "lm-9100003"), events.stream().map(e -> e.value().eventId()).sorted().toList());
            for (var e : events) {
                assertTrue(Math.abs(e.timestamp() - now) < 60_000, "the record is stamped when it is received");
            }
            List<AuditRecord> stale = gateway.readAll(gateway.topics.auditIntake).stream().map(ConsumerRecord::value)
                    .filter(a -> user.equals(a.externalUserId())).toList();
            assertEquals(Map.of("lm-9100002", "older-than-window", "lm-9100004", "stamped-ahead"),
                    Map.of(stale.get(0).eventId(), stale.get(0).detail().get("staleness"),
                            stale.get(1).eventId(), stale.get(1).detail().get("staleness")));

            String worksUser = GatewayFixture.newWorksUser();
            String old = """
                    {"type":"message","source":{"userId":"%s","domainId":40029600},"issuedTime":"%s",
                     "content":{"type":"text","text":"from last week"}}""".formatted(worksUser, Instant.ofEpochMilli(now - 8 * 24 * HOUR));
            HttpResponse<String> w = gateway.works(old);
            assertEquals(200, w.statusCode(), w.body());
            assertEquals(1, Json.mapper().readTree(w.body()).path("stale").asInt(), w.body());
            assertTrue(gateway.readAll(gateway.topics.worksEvents).stream().noneMatch(e -> e.value().externalUserId().equals(worksUser)));
            AuditRecord worksStale = only(gateway.readAll(gateway.topics.auditIntake), a -> worksUser.equals(a.externalUserId()));
            assertEquals(Connector.WORKS, worksStale.connector());
            assertEquals(AuditKind.STALE, worksStale.kind());
        }
    }

    @Test
    void theWindowIsConfigurable(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(broker, ns, broker.bootstrapServers(),
                Map.of("gateway.webhook.freshness.max-age", "1h"))) {
            String user = GatewayFixture.newLineUser();
            long now = System.currentTimeMillis();
            HttpResponse<String> r = gateway.line(envelope(text(user, "9200001", now - 2 * HOUR), text(user, "9200002", now)));
            JsonNode answer = Json.mapper().readTree(r.body());
            assertEquals(1, answer.path("produced").asInt(), r.body());
            assertEquals(1, answer.path("stale").asInt(), r.body());
        }
    }

    private static PolicyStreamsService startPolicy(KafkaBroker broker, GatewayFixture gateway, Path state) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", gateway.topics.prefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(gateway.topics.partitions()));
        env.put("POLICY_APPLICATION_ID", gateway.topics.prefix() + "connector-policy");
        env.put("POLICY_STATE_DIR", state.toString());
        env.put("POLICY_TOKEN_SECRET", "gateway-tests-token-secret-0123456789");
        env.put("POLICY_COMMIT_INTERVAL_MS", "100");
        env.putAll(io.connectorgateway.testsupport.TestAuditKeys.env());
        return PolicyStreamsService.start(PolicyConfig.fromEnvironment(env));
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    /** A fresh friend-add opens a room once the settings and the member row are applied; until then it is refused. */
    private static void awaitSettingsApplied(GatewayFixture gateway) throws Exception {
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        while (System.nanoTime() < deadline) {
            String probe = GatewayFixture.newLineUser();
            assertEquals(200, gateway.line(envelope(follow(probe, "01PROBE" + probe.substring(1, 9), System.currentTimeMillis())))
                    .statusCode());
            List<AuditRecord> audit = awaitRecords(gateway, gateway.topics.audit,
                    list -> list.stream().anyMatch(a -> probe.equals(a.externalUserId())));
            if (audit.stream().anyMatch(a -> probe.equals(a.externalUserId()) && a.kind() == AuditKind.ROOM_OPENED)) {
                return;
            }
        }
        throw new AssertionError("the policy service never applied the settings");
    }

    private static <V> List<V> awaitRecords(GatewayFixture gateway, Topic<String, V> topic, Predicate<List<V>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        while (true) {
            List<V> all = gateway.readAll(topic).stream().map(ConsumerRecord::value).toList();
            if (done.test(all) || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(200);
        }
    }

    private static AuditRecord only(List<?> records, Predicate<AuditRecord> which) {
        List<AuditRecord> found = records.stream()
                .map(r -> r instanceof ConsumerRecord<?, ?> c ? (AuditRecord) c.value() : (AuditRecord) r)
                .filter(which).toList();
        assertEquals(1, found.size(), "expected one audit record, got " + found);
        return found.get(0);
    }
}
