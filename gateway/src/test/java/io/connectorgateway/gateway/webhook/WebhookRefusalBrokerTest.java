package io.connectorgateway.gateway.webhook;

import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_CHANNEL;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_DESTINATION;
import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_SECRET;
import static io.connectorgateway.gateway.webhook.GatewayFixture.WORKS_BOT_ID;
import static io.connectorgateway.gateway.webhook.GatewayFixture.WORKS_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad input is refused with its status and reason and produces nothing. The
 * gateway of this class only ever receives bad requests, so "nothing" is checked exactly: its
 * event topics and its dead-letter topic are empty.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WebhookRefusalBrokerTest {
    private static final String LINE_PATH = "/webhooks/line/" + LINE_CHANNEL;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) {
        gateway = GatewayFixture.start(broker, ns);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            try {
                assertTrue(gateway.readAll(gateway.topics.lineEvents).isEmpty(), "a refused LINE request produced an event");
                assertTrue(gateway.readAll(gateway.topics.worksEvents).isEmpty(), "a refused WORKS callback produced an event");
                assertTrue(gateway.readAll(gateway.topics.dlq).isEmpty(), "a refused request produced a dead letter");
                String metrics = gateway.management("/prometheus").body();
                assertTrue(metrics.contains("gateway_webhook_rejections_total{connector=\"line\",reason=\"bad-signature\"}"), metrics);
                assertTrue(metrics.contains("gateway_webhook_rejections_total{connector=\"line\",reason=\"oversized\"}"), metrics);
            } finally {
                gateway.close();
            }
        }
    }

    private static byte[] lineBody() {
        return ("{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[{\"type\":\"message\",\"timestamp\":1700000000000,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"Uffff\"},\"webhookEventId\":\"01X\","
                + "\"message\":{\"id\":\"1\",\"type\":\"text\",\"text\":\"forged?\"}}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> line(byte[] body, String signature) {
        return gateway.post(LINE_PATH, "application/json", body, "x-line-signature", signature);
    }

    private static void refused(HttpResponse<String> r, int status, String reason) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"reason\":\"" + reason + "\""), r.body());
    }

    @Test
    void forgedSignature() {
        refused(line(lineBody(), Secrets.signature("not-the-secret", lineBody())), 401, "bad-signature");
    }

    @Test
    void signatureThatIsNotBase64() {
        refused(line(lineBody(), "%%%not base64%%%"), 401, "bad-signature");
    }

    @Test
    void bitFlippedBody() {
        byte[] body = lineBody();
        String signature = Secrets.signature(LINE_SECRET, body);
        byte[] flipped = Arrays.copyOf(body, body.length);
        flipped[flipped.length / 2] ^= 0x01;
        refused(line(flipped, signature), 401, "bad-signature");
    }

    @Test
    void missingSignatureHeader() {
        refused(gateway.post(LINE_PATH, "application/json", lineBody()), 401, "missing-signature");
        byte[] works = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        refused(gateway.post("/webhooks/works", "application/json", works, "X-WORKS-BotId", WORKS_BOT_ID), 401, "missing-signature");
    }

    @Test
    void retiredSecretIsStale() {
        refused(line(lineBody(), Secrets.signature("line-secret-retired", lineBody())), 401, "bad-signature");
    }

    @Test
    void unknownLineChannel() {
        byte[] body = lineBody();
        refused(gateway.post("/webhooks/line/nobody", "application/json", body, "x-line-signature",
                Secrets.signature(LINE_SECRET, body)), 401, "unknown-channel");
    }

    @Test
    void destinationOfAnotherChannel() {
        byte[] body = new String(lineBody(), StandardCharsets.UTF_8).replace(LINE_DESTINATION, "U99999999999999999999999999999999")
                .getBytes(StandardCharsets.UTF_8);
        refused(line(body, Secrets.signature(LINE_SECRET, body)), 401, "destination-mismatch");
    }

    @Test
    void unknownOrMissingWorksBot() {
        byte[] body = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        String signature = Secrets.signature(WORKS_SECRET, body);
        refused(gateway.post("/webhooks/works", "application/json", body, "X-WORKS-BotId", "9999999",
                "X-WORKS-Signature", signature), 401, "unknown-bot");
        refused(gateway.post("/webhooks/works", "application/json", body, "X-WORKS-Signature", signature), 401, "unknown-bot");
    }

    @Test
    void worksBitFlippedBody() {
        byte[] body = ("{\"type\":\"message\",\"source\":{\"userId\":\"u1\",\"domainId\":1},\"issuedTime\":\"2022-01-04T05:16:05.716Z\","
                + "\"content\":{\"type\":\"text\",\"text\":\"hello\"}}").getBytes(StandardCharsets.UTF_8);
        String signature = Secrets.signature(WORKS_SECRET, body);
        byte[] flipped = Arrays.copyOf(body, body.length);
        flipped[flipped.length - 5] ^= 0x20;
        refused(gateway.post("/webhooks/works", "application/json", flipped, "X-WORKS-BotId", WORKS_BOT_ID,
                "X-WORKS-Signature", signature), 401, "bad-signature");
    }

    @Test
    void oversizedBody() {
        // valid JSON, signed, just over 1 MiB: refused before it is hashed or parsed
        StringBuilder sb = new StringBuilder("{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[],\"pad\":\"");
        while (sb.length() < 1024 * 1024 + 10) {
            sb.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        }
        byte[] body = sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        refused(line(body, Secrets.signature(LINE_SECRET, body)), 413, "oversized");
    }

    @Test
    void tooDeep() {
        String deep = "[".repeat(40) + "]".repeat(40);
        byte[] body = ("{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[],\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = line(body, Secrets.signature(LINE_SECRET, body));
        refused(r, 400, "malformed-json");
        assertTrue(r.body().toLowerCase().contains("depth"), r.body());
    }

    @Test
    void invalidUtf8() {
        byte[] prefix = ("{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[],\"x\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(prefix, prefix.length + 3);
        body[prefix.length] = (byte) 0xC3; // a two-byte sequence cut short
        body[prefix.length + 1] = (byte) '"';
        body[prefix.length + 2] = (byte) '}';
        HttpResponse<String> r = line(body, Secrets.signature(LINE_SECRET, body));
        refused(r, 400, "malformed-json");
        assertTrue(r.body().contains("UTF-8") || r.body().contains("UTF8"), r.body());
    }

    @Test
    void malformedJsonAndWrongShape() {
        byte[] broken = "{\"destination\":".getBytes(StandardCharsets.UTF_8);
        refused(line(broken, Secrets.signature(LINE_SECRET, broken)), 400, "malformed-json");
        byte[] duplicate = ("{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[],\"events\":[]}").getBytes(StandardCharsets.UTF_8);
        refused(line(duplicate, Secrets.signature(LINE_SECRET, duplicate)), 400, "malformed-json");
        byte[] array = "[]".getBytes(StandardCharsets.UTF_8);
        refused(line(array, Secrets.signature(LINE_SECRET, array)), 400, "malformed-payload");
        byte[] noEvents = ("{\"destination\":\"" + LINE_DESTINATION + "\"}").getBytes(StandardCharsets.UTF_8);
        refused(line(noEvents, Secrets.signature(LINE_SECRET, noEvents)), 400, "malformed-payload");
        byte[] works = "{\"type\":".getBytes(StandardCharsets.UTF_8);
        refused(gateway.post("/webhooks/works", "application/json", works, "X-WORKS-BotId", WORKS_BOT_ID,
                "X-WORKS-Signature", Secrets.signature(WORKS_SECRET, works)), 400, "malformed-json");
    }

    @Test
    void wrongContentType() {
        byte[] body = lineBody();
        String signature = Secrets.signature(LINE_SECRET, body);
        refused(gateway.post(LINE_PATH, "text/plain", body, "x-line-signature", signature), 415, "unsupported-media-type");
        refused(gateway.post(LINE_PATH, "application/json; charset=ISO-8859-1", body, "x-line-signature", signature), 415,
                "unsupported-media-type");
        refused(gateway.post(LINE_PATH, null, body, "x-line-signature", signature), 415, "unsupported-media-type");
    }
}
