package io.connectorgateway.gateway.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.connectorgateway.contracts.json.Json;
import io.micronaut.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UntrustedJsonTest {

    @Test
    void wellFormedUtf8Passes() {
        assertNull(UntrustedJson.utf8Problem("{\"t\":\"\u3042\uD83D\uDE00 é\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(UntrustedJson.utf8Problem(new byte[0]));
    }

    @Test
    void everyIllFormedSequenceIsRefusedWithItsPosition() {
        int[][] bad = {{0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF}, {0x80}, {0xED, 0xA0, 0x80},
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}, {0xC3}};
        for (int[] seq : bad) {
            byte[] body = new byte[3 + seq.length];
            body[0] = 'a';
            body[1] = 'b';
            body[2] = 'c';
            for (int i = 0; i < seq.length; i++) {
                body[3 + i] = (byte) seq[i];
            }
            String problem = UntrustedJson.utf8Problem(body);
            assertNotNull(problem, "accepted " + java.util.Arrays.toString(seq));
            assertTrue(problem.contains("at byte 3"), problem);
        }
    }

    @Test
    void parserMessagesNameNoJavaTypesOrParserFeatures() {
        for (String json : new String[] {"{\"a\":NaN}", "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}", "{\"a\":", "{\"a\":+1}"}) {
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.mapper().readTree(json));
            String m = UntrustedJson.describe(e);
            assertFalse(m.contains("`") || m.contains("StreamRead") || m.contains("JsonReadFeature") || m.contains("Source:"), m);
            assertFalse(m.isBlank());
        }
        record Target(Long version, java.util.List<String> ids) {
        }
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.strictReader(Target.class).readValue("{\"version\":\"x\"}"));
        assertEquals("field 'version' must be a whole number", UntrustedJson.describe(e));
        e = assertThrows(JsonProcessingException.class, () -> Json.strictReader(Target.class).readValue("{\"versoin\":1}"));
        assertEquals("unknown field 'versoin' (known: ids, version)", UntrustedJson.describe(e));
    }

    @Test
    void anUnquotedValueIsNotEchoed() {
        String secret = "s3cr3t-0123456789abcdef";
        for (String json : new String[] {"{\"addSecret\":" + secret + "}", "{\"a\":1}" + secret, "{\"a\":" + secret + "'x'}"}) {
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.mapper().readTree(json));
            String m = UntrustedJson.describe(e);
            assertFalse(m.contains(secret) || m.contains("s3cr3t"), m);
            assertTrue(m.startsWith("Unrecognized token (an unquoted value?): was expecting"), m);
        }
    }

    @Test
    void unexpectedErrorsDoNotEchoTheException() {
        var response = new UnexpectedErrorHandler().handle(HttpRequest.GET("/admin/v1/tenants/acme/plan"),
                new NullPointerException("Cannot invoke \"io.connectorgateway.gateway.admin.PlanChange.plan()\""));
        assertEquals(500, response.getStatus().getCode());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) response.body();
        assertEquals("internal", body.get("error"));
        assertFalse(body.toString().contains("PlanChange"), body.toString());
    }
}
