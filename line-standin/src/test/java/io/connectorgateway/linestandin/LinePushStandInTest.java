package io.connectorgateway.linestandin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in must be strict where LINE is, or the bot's tests would prove little. */
class LinePushStandInTest {
    private static final String KEY = "123e4567-e89b-12d3-a456-426614174000";
    private final LinePushStandIn line = LinePushStandIn.start(0, List.of("good-token"));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        line.close();
    }

    private HttpResponse<String> push(String token, String retryKey, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(line.baseUrl().resolve("/v2/bot/message/push"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (retryKey != null) {
            b.header("X-Line-Retry-Key", retryKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsAValidPushOncePerRetryKey() throws Exception {
        String body = "{\"to\":\"U1\",\"messages\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        assertEquals(200, push("good-token", KEY, body).statusCode());
        HttpResponse<String> again = push("good-token", KEY, body);
        assertEquals(409, again.statusCode());
        assertTrue(again.headers().firstValue("x-line-accepted-request-id").isPresent());
        assertEquals(1, line.accepted().size());
        assertEquals(List.of("hi"), line.accepted().get(0).texts());
    }

    @Test
    void refusesBadTokensKeysAndBodies() throws Exception {
        String ok = "{\"to\":\"U1\",\"messages\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        assertEquals(401, push("wrong", KEY, ok).statusCode());
        assertEquals(401, push(null, KEY, ok).statusCode());
        assertEquals(400, push("good-token", "not-a-uuid", ok).statusCode());
        assertEquals(400, push("good-token", null, "{\"to\":\"U1\",\"messages\":[]}").statusCode());
        String six = "{\"to\":\"U1\",\"messages\":[" + String.join(",",
                java.util.Collections.nCopies(6, "{\"type\":\"text\",\"text\":\"x\"}")) + "]}";
        assertEquals(400, push("good-token", null, six).statusCode());
        assertEquals(400, push("good-token", null, "{not json").statusCode());
        assertTrue(line.accepted().isEmpty());
    }

    @Test
    void followsItsScriptThenBehavesNormally() throws Exception {
        line.script(LinePushStandIn.Step.rateLimited(java.time.Duration.ofSeconds(3)), LinePushStandIn.Step.fail(503));
        String body = "{\"to\":\"U1\",\"messages\":[{\"type\":\"text\",\"text\":\"hi\"}]}";
        HttpResponse<String> limited = push("good-token", KEY, body);
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(503, push("good-token", KEY, body).statusCode());
        assertEquals(200, push("good-token", KEY, body).statusCode());
        assertEquals(3, line.callsWithKey(KEY).size());
    }

    @Test
    void answersProfiles() throws Exception {
        line.profile("U1", "Taro");
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(line.baseUrl().resolve("/v2/bot/profile/U1"))
                .header("Authorization", "Bearer good-token").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, found.statusCode());
        assertTrue(found.body().contains("\"displayName\":\"Taro\""), found.body());
        assertEquals(404, http.send(HttpRequest.newBuilder(line.baseUrl().resolve("/v2/bot/profile/U2"))
                .header("Authorization", "Bearer good-token").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
