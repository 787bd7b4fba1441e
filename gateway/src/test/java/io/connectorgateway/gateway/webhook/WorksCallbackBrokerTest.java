package io.connectorgateway.gateway.webhook;

import static io.connectorgateway.gateway.webhook.GatewayFixture.TENANT;
import static io.connectorgateway.gateway.webhook.GatewayFixture.WORKS_BOT_ID;
import static io.connectorgateway.gateway.webhook.GatewayFixture.WORKS_MEMBER;
import static io.connectorgateway.gateway.webhook.GatewayFixture.WORKS_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signed LINE WORKS callbacks in, canonical events on {@code connector.works.events} out. */
@ExtendWith(KafkaBrokerExtension.class)
class WorksCallbackBrokerTest {
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

    static String callback(String type, String user, String issuedTime, String content) {
        return """
                {"type":"%s","source":{"userId":"%s","domainId":40029600},"issuedTime":"%s"%s}"""
                .formatted(type, user, issuedTime, content == null ? "" : ",\"content\":" + content);
    }

    private List<ConnectorEvent> eventsOf(String user) {
        return gateway.readAll(gateway.topics.worksEvents).stream()
                .filter(r -> r.value().externalUserId().equals(user))
                .peek(r -> assertEquals(r.value().pairKey(), r.key(), "records are keyed by the pair key"))
                .map(r -> gateway.opened(r.value()))
                .toList();
    }

    private ConnectorEvent single(String user, String content) {
        HttpResponse<String> r = gateway.works(callback("message", user, GatewayFixture.NOW_ISO, content));
        assertEquals(200, r.statusCode(), r.body());
        List<ConnectorEvent> events = eventsOf(user);
        assertEquals(1, events.size());
        ConnectorEvent e = events.get(0);
        assertEquals(EventType.MESSAGE, e.type());
        assertEquals(Direction.INBOUND, e.direction());
        assertEquals(Connector.WORKS, e.connector());
        assertEquals(TENANT, e.tenant());
        assertEquals(WORKS_MEMBER, e.memberId());
        assertEquals(Instant.parse(GatewayFixture.NOW_ISO).toEpochMilli(), e.timestamp());
        assertEquals(Ids.pairKey(TENANT, Connector.WORKS, WORKS_MEMBER, user), e.pairKey());
        assertTrue(e.eventId().startsWith("wk-"), e.eventId());
        return e;
    }

    @Test
    void textMessage() {
        ConnectorEvent e = single(GatewayFixture.newWorksUser(), "{\"type\":\"text\",\"text\":\"hello\"}");
        assertEquals("hello", e.text());
        assertTrue(e.attachments().isEmpty());
    }

    @Test
    void attachmentMessages() {
        assertEquals(List.of(new Attachment(AttachmentKind.IMAGE, null, null, "img-1")),
                single(GatewayFixture.newWorksUser(), "{\"type\":\"image\",\"fileId\":\"img-1\"}").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.VIDEO, null, null, "vid-1")),
                single(GatewayFixture.newWorksUser(), "{\"type\":\"video\",\"fileId\":\"vid-1\"}").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.AUDIO, null, null, "aud-1")),
                single(GatewayFixture.newWorksUser(), "{\"type\":\"audio\",\"fileId\":\"aud-1\"}").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.FILE, null, null, "file-1")),
                single(GatewayFixture.newWorksUser(), "{\"type\":\"file\",\"fileId\":\"file-1\"}").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.STICKER, null, null, "789/10855")),
                single(GatewayFixture.newWorksUser(), "{\"type\":\"sticker\",\"packageId\":\"789\",\"stickerId\":\"10855\"}").attachments());
        assertEquals(List.of(new Attachment(AttachmentKind.LOCATION, "Tokyo", null, "geo:35.6,139.7")),
                single(GatewayFixture.newWorksUser(),
                        "{\"type\":\"location\",\"address\":\"Tokyo\",\"latitude\":35.6,\"longitude\":139.7}").attachments());
    }

    @Test
    void roomMembershipPostbacksAndMultiPersonRoomsAreAcknowledgedNotProduced() {
        String user = GatewayFixture.newWorksUser();
        String t = GatewayFixture.NOW_ISO;
        for (String type : List.of("join", "leave", "joined", "left")) {
            HttpResponse<String> r = gateway.works(callback(type, user, t, null));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"ignored\":1"), r.body());
        }
        assertEquals(200, gateway.works(callback("postback", user, t, null).replace("}", ",\"data\":\"start\"}")).statusCode());
        String inRoom = callback("message", user, t, "{\"type\":\"text\",\"text\":\"hi all\"}")
                .replace("\"domainId\"", "\"channelId\":\"12345\",\"domainId\"");
        HttpResponse<String> r = gateway.works(inRoom);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"ignored\":1"), r.body());
        assertTrue(eventsOf(user).isEmpty());
        assertTrue(gateway.management("/prometheus").body().contains("reason=\"multi-person-room\""));
    }

    @Test
    void theSameCallbackTwiceGetsTheSameDerivedIdAndADifferentOneAnother() {
        String user = GatewayFixture.newWorksUser();
        String json = callback("message", user, GatewayFixture.NOW_ISO, "{\"type\":\"text\",\"text\":\"twice\"}");
        // the same callback with its content fields in another order: the same callback
        String reordered = callback("message", user, GatewayFixture.NOW_ISO, "{\"text\":\"twice\",\"type\":\"text\"}");
        String later = callback("message", user, java.time.Instant.ofEpochMilli(GatewayFixture.NOW + 284).toString(), "{\"type\":\"text\",\"text\":\"twice\"}");
        assertEquals(200, gateway.works(json).statusCode());
        assertEquals(200, gateway.works(reordered).statusCode());
        assertEquals(200, gateway.works(later).statusCode());
        List<ConnectorEvent> events = eventsOf(user);
        assertEquals(3, events.size());
        assertEquals(events.get(0).eventId(), events.get(1).eventId());
        assertNotEquals(events.get(0).eventId(), events.get(2).eventId());
    }

    @Test
    void headerNamesAreMatchedCaseInsensitively() {
        String user = GatewayFixture.newWorksUser();
        byte[] body = callback("message", user, GatewayFixture.NOW_ISO, "{\"type\":\"text\",\"text\":\"lower\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> lower = gateway.post("/webhooks/works", "application/json", body,
                "x-works-botid", WORKS_BOT_ID, "x-works-signature", Secrets.signature(WORKS_SECRET, body));
        assertEquals(200, lower.statusCode(), lower.body());
        HttpResponse<String> upper = gateway.post("/webhooks/works", "APPLICATION/JSON; charset=UTF-8", body,
                "X-WORKS-BOTID", WORKS_BOT_ID, "X-WORKS-SIGNATURE", Secrets.signature(WORKS_SECRET, body));
        assertEquals(200, upper.statusCode(), upper.body());
        assertEquals(2, eventsOf(user).size());
    }
}
