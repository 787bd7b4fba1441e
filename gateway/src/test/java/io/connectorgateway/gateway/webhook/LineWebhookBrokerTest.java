package io.connectorgateway.gateway.webhook;

import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_DESTINATION;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_MEMBER;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_URL_TOKEN;
import static io.connectorgateway.gateway.webhook.GatewayFixture.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signed LINE webhooks in, canonical events on {@code connector.line.events} out. */
@ExtendWith(KafkaBrokerExtension.class)
class LineWebhookBrokerTest {
    private static GatewayFixture gateway;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) {
        gateway = GatewayFixture.start(broker, ns);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static String envelope(String... events) {
        return "{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[" + String.join(",", events) + "]}";
    }

    static String event(String type, String user, String webhookEventId, long ts, String extra) {
        return """
                {"type":"%s","mode":"active","timestamp":%d,"source":{"type":"user","userId":"%s"},
                 "webhookEventId":"%s","deliveryContext":{"isRedelivery":false}%s}"""
                .formatted(type, ts, user, webhookEventId, extra == null ? "" : "," + extra);
    }

    static String message(String user, String messageId, String messageFields) {
        return event("message", user, "W" + messageId, GatewayFixture.NOW,
                "\"replyToken\":\"r\",\"message\":{\"id\":\"" + messageId + "\"," + messageFields + "}");
    }

    private List<ConnectorEvent> eventsOf(String user) {
        return gateway.readAll(gateway.topics.lineEvents).stream()
                .filter(r -> r.value().externalUserId().equals(user))
                .peek(r -> assertEquals(r.value().pairKey(), r.key(), "records are keyed by the pair key"))
                .map(r -> gateway.opened(r.value()))
                .toList();
    }

    @Test
    void followBecomesFriendAddThroughTheChannelsUrlToken() {
        String user = GatewayFixture.newLineUser();
        HttpResponse<String> r = gateway.line(envelope(event("follow", user, "01FOLLOW" + user.substring(1, 10), (GatewayFixture.NOW + 123),
                "\"replyToken\":\"rt\",\"follow\":{\"isUnblocked\":false}")));
        assertEquals(200, r.statusCode(), r.body());

        List<ConnectorEvent> events = eventsOf(user);
        assertEquals(1, events.size());
        ConnectorEvent e = events.get(0);
        assertEquals(EventType.FRIEND_ADD, e.type());
        assertEquals("01FOLLOW" + user.substring(1, 10), e.eventId());
        assertEquals(TENANT, e.tenant());
        assertEquals(Connector.LINE, e.connector());
        assertEquals(Direction.INBOUND, e.direction());
        assertEquals(LINE_MEMBER, e.memberId());
        assertEquals(LINE_URL_TOKEN, e.urlToken());
        assertEquals((GatewayFixture.NOW + 123), e.timestamp());
        assertEquals(Ids.pairKey(TENANT, Connector.LINE, LINE_MEMBER, user), e.pairKey());
        assertFalse(e.redelivery());
    }

    @Test
    void unfollowAndUnsendKeepTheirIdsAndUnsendNamesTheMessageEvent() {
        String user = GatewayFixture.newLineUser();
        HttpResponse<String> r = gateway.line(envelope(
                message(user, "46100001", "\"type\":\"text\",\"text\":\"to be taken back\""),
                event("unsend", user, "01UNSEND", (GatewayFixture.NOW + 500), "\"unsend\":{\"messageId\":\"46100001\"}"),
                event("unfollow", user, "01UNFOLLOW", (GatewayFixture.NOW + 900), null)));
        assertEquals(200, r.statusCode(), r.body());

        Map<EventType, ConnectorEvent> byType = eventsOf(user).stream()
                .collect(Collectors.toMap(ConnectorEvent::type, Function.identity()));
        assertEquals("lm-46100001", byType.get(EventType.MESSAGE).eventId());
        assertEquals("01UNSEND", byType.get(EventType.UNSEND).eventId());
        assertEquals("lm-46100001", byType.get(EventType.UNSEND).targetEventId());
        assertEquals("01UNFOLLOW", byType.get(EventType.UNFOLLOW).eventId());
        assertEquals(Direction.INBOUND, byType.get(EventType.UNFOLLOW).direction());
    }

    @Test
    void everyMessageTypeBecomesAnInboundMessage() {
        String user = GatewayFixture.newLineUser();
        HttpResponse<String> r = gateway.line(envelope(
                message(user, "1001", "\"type\":\"text\",\"text\":\"hello こんにちは\""),
                message(user, "1002", "\"type\":\"sticker\",\"packageId\":\"446\",\"stickerId\":\"1988\",\"stickerResourceType\":\"STATIC\""),
                message(user, "1003", "\"type\":\"image\",\"contentProvider\":{\"type\":\"line\"}"),
                message(user, "1004", "\"type\":\"video\",\"duration\":60000,\"contentProvider\":{\"type\":\"line\"}"),
                message(user, "1005", "\"type\":\"audio\",\"duration\":6000,\"contentProvider\":{\"type\":\"line\"}"),
                message(user, "1006", "\"type\":\"file\",\"fileName\":\"quote.pdf\",\"fileSize\":2138"),
                message(user, "1007", "\"type\":\"location\",\"title\":\"my place\",\"address\":\"Tokyo\",\"latitude\":35.65910807942215,\"longitude\":139.70372892916203")));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"produced\":7"), r.body());

        Map<String, ConnectorEvent> byId = eventsOf(user).stream()
                .collect(Collectors.toMap(ConnectorEvent::eventId, Function.identity()));
        assertEquals(7, byId.size());
        byId.values().forEach(e -> {
            assertEquals(EventType.MESSAGE, e.type());
            assertEquals(Direction.INBOUND, e.direction());
            assertEquals(LINE_MEMBER, e.memberId());
        });
        assertEquals("hello こんにちは", byId.get("lm-1001").text());
        assertTrue(byId.get("lm-1001").attachments().isEmpty());
        assertEquals(List.of(new Attachment(AttachmentKind.STICKER, null, null, "446/1988")), byId.get("lm-1002").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.IMAGE, null, null, "1003")), byId.get("lm-1003").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.VIDEO, null, null, "1004")), byId.get("lm-1004").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.AUDIO, null, null, "1005")), byId.get("lm-1005").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.FILE, "quote.pdf", 2138L, "1006")), byId.get("lm-1006").attachments());
        Attachment location = byId.get("lm-1007").attachments().get(0);
        assertEquals(AttachmentKind.LOCATION, location.kind());
        assertEquals("my place", location.name());
        assertEquals("geo:35.65910807942215,139.70372892916203", location.contentRef());
        assertNull(byId.get("lm-1007").text());
    }

    @Test
    void aRedeliveredWebhookCarriesTheSameEventIdsSoTheStreamCanDropIt() {
        String user = GatewayFixture.newLineUser();
        String first = envelope(message(user, "2001", "\"type\":\"text\",\"text\":\"once\""));
        String again = first.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
        assertEquals(200, gateway.line(first).statusCode());
        assertEquals(200, gateway.line(again).statusCode());

        List<ConnectorEvent> events = eventsOf(user);
        assertEquals(2, events.size(), "the gateway does not de-duplicate; the stream does, by eventId");
        assertEquals(events.get(0).eventId(), events.get(1).eventId());
        assertEquals(1, events.stream().filter(ConnectorEvent::redelivery).count());
    }

    @Test
    void groupSourcesAndEventsWithoutProductMeaningAreAcknowledgedNotProduced() {
        String user = GatewayFixture.newLineUser();
        String group = """
                {"type":"message","timestamp":1700000000000,"source":{"type":"group","groupId":"C111","userId":"%s"},
                 "webhookEventId":"01GROUP","deliveryContext":{"isRedelivery":false},"message":{"id":"3001","type":"text","text":"hi all"}}"""
                .formatted(user);
        HttpResponse<String> r = gateway.line(envelope(group,
                event("postback", user, "01POSTBACK", GatewayFixture.NOW, "\"postback\":{\"data\":\"a=1\"}"),
                event("beacon", user, "01BEACON", GatewayFixture.NOW, "\"beacon\":{\"hwid\":\"d41d8cd98f\",\"type\":\"enter\"}"),
                message(user, "3002", "\"type\":\"imagemap\""),
                event("brandNewType", user, "01NEW", GatewayFixture.NOW, null)));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"ignored\":5"), r.body());
        assertTrue(eventsOf(user).isEmpty());

        String metrics = gateway.management("/prometheus").body();
        assertTrue(metrics.contains("reason=\"non-user-source\""), "ignored events are counted by reason");
        assertTrue(metrics.contains("kind=\"postback\""));
    }

    @Test
    void anEmptyEventListIsTheConnectivityCheck() {
        HttpResponse<String> r = gateway.line(envelope());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"produced\":0"), r.body());
    }

    @Test
    void anEventThatCannotBeMappedGoesToTheDeadLetterTopicSealedUnderItsMessagesKeyAndTheRestGoesThrough() {
        String user = GatewayFixture.newLineUser();
        String noUser = """
                {"type":"message","timestamp":1700000000000,"source":{"type":"user"},"webhookEventId":"01NOUSER",
                 "message":{"id":"4001","type":"text","text":"who am I"}}""";
        String noId = """
                {"type":"message","timestamp":1700000000000,"source":{"type":"user"},"webhookEventId":"01NOID",
                 "message":{"type":"text","text":"nameless words"}}""";
        String fine = message(user, "4002", "\"type\":\"text\",\"text\":\"fine\"");
        HttpResponse<String> r = gateway.line(envelope(noUser, noId, fine));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"deadLettered\":2"), r.body());

        assertEquals(List.of("lm-4002"), eventsOf(user).stream().map(ConnectorEvent::eventId).toList());
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dlq = gateway.readAll(gateway.topics.dlq);
        for (var rec : dlq) {
            String value = new String(rec.value(), StandardCharsets.UTF_8);
            assertFalse(value.contains("who am I") || value.contains("nameless words"), "no message text in clear: " + value);
        }
        // a message id: sealed under that message's key, which an unsend of it deletes
        String keyId = Ids.messageKey(TENANT, Connector.LINE, "lm-4001");
        List<DeadLetter> sealed = dlq.stream()
                .filter(rec -> rec.headers().lastHeader(DeadLetter.HEADER_SEALED) != null && keyId.equals(
                        new String(rec.headers().lastHeader(DeadLetter.HEADER_SEALED).value(), StandardCharsets.UTF_8)))
                .map(DeadLetter::fromRecord).toList();
        assertEquals(1, sealed.size());
        assertTrue(sealed.get(0).reason().contains("userId is required"), sealed.get(0).reason());
        assertEquals("webhook:line/" + GatewayFixture.LINE_CHANNEL, sealed.get(0).sourceTopic());
        assertEquals("gateway", sealed.get(0).service());
        var key = gateway.readAll(gateway.topics.contentKeys).stream().filter(k -> keyId.equals(k.key()))
                .reduce((a, b) -> b).orElseThrow().value();
        String original = io.connectorgateway.contracts.json.JsonSerde.lenient(
                io.connectorgateway.contracts.content.SealedContent.class).deserialize("t", sealed.get(0).value()).open(key).text();
        assertTrue(original.contains("01NOUSER") && original.contains("who am I"), "the original event, opened: " + original);
        // no message id an unsend could name: kept without the words, saying how long they were
        List<DeadLetter> stripped = dlq.stream().map(DeadLetter::fromRecord)
                .filter(d -> new String(d.value(), StandardCharsets.UTF_8).contains("01NOID")).toList();
        assertEquals(1, stripped.size());
        assertTrue(new String(stripped.get(0).value(), StandardCharsets.UTF_8).contains("(removed: 14 characters)"),
                new String(stripped.get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void theNextSecretOfARotationIsAcceptedToo() {
        String user = GatewayFixture.newLineUser();
        byte[] body = envelope(message(user, "5001", "\"type\":\"text\",\"text\":\"new secret\"")).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = gateway.post("/webhooks/line/" + GatewayFixture.LINE_CHANNEL, "application/json", body,
                "X-Line-Signature", Secrets.signature(GatewayFixture.LINE_SECRET_NEXT, body));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, eventsOf(user).size());
    }

    @Test
    void healthDetailsAndMetricsAreOnTheManagementPortAndThePublicPortSaysOnlyUpOrDown() {
        // metrics are scraped from /prometheus, not written into the log once a minute
        assertTrue(gateway.server.getApplicationContext().getBeansOfType(io.micrometer.core.instrument.MeterRegistry.class).stream()
                .flatMap(r -> r instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c
                        ? java.util.stream.Stream.concat(java.util.stream.Stream.of(r), c.getRegistries().stream()) : java.util.stream.Stream.of(r))
                .noneMatch(io.connectorgateway.testsupport.Meters::logsMetrics), "a meter registry that writes metrics into the log");
        HttpResponse<String> ready = gateway.management("/health/readiness");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("kafka"), ready.body());
        HttpResponse<String> details = gateway.management("/health");
        assertEquals(200, details.statusCode(), details.body());
        assertTrue(details.body().contains("clusterId"), "details on the management port: " + details.body());
        assertEquals(200, gateway.management("/health/liveness").statusCode());

        HttpResponse<String> open = gateway.get("/health");
        assertEquals(200, open.statusCode(), open.body());
        assertEquals("{\"status\":\"UP\"}", open.body(), "the public port says UP or DOWN and nothing else");
        for (String path : List.of("/prometheus", "/health/readiness", "/health/liveness")) {
            assertEquals(404, gateway.get(path).statusCode(), path + " is not on the public port");
        }
        assertEquals(404, gateway.management("/webhooks/line/" + GatewayFixture.LINE_CHANNEL).statusCode(),
                "and the webhooks are not on the management port");

        gateway.line(envelope());
        String metrics = gateway.management("/prometheus").body();
        assertTrue(metrics.contains("gateway_webhook_requests_total{connector=\"line\",outcome=\"accepted\"}"), metrics);
        assertTrue(metrics.contains("gateway_kafka_produce_seconds"), "produce latency timer is exported");
    }
}
