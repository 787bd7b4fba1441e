package io.connectorgateway.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final byte[] BODY = "{\"destination\":\"U1\",\"events\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchesTheLineDocumentationsAlgorithm() {
        // Base64(HMAC-SHA256("secret", "hello")), computed independently
        assertEquals("iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=", Secrets.signature("secret", "hello".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eitherActiveSecretVerifiesAndNoOtherDoes() {
        Secrets rotating = Secrets.of(List.of("old", "new"), "test");
        assertTrue(rotating.verify(Secrets.signature("old", BODY), BODY));
        assertTrue(rotating.verify(Secrets.signature("new", BODY), BODY));
        assertFalse(rotating.verify(Secrets.signature("retired", BODY), BODY));
    }

    @Test
    void refusesMissingGarbledAndTruncatedSignatures() {
        Secrets s = Secrets.of(List.of("k"), "test");
        String good = Secrets.signature("k", BODY);
        assertFalse(s.verify(null, BODY));
        assertFalse(s.verify(" ", BODY));
        assertFalse(s.verify("***", BODY));
        assertFalse(s.verify(good.substring(0, 20), BODY));
        assertTrue(s.verify(" " + good + " ", BODY), "surrounding whitespace in a header is not part of the value");
    }

    @Test
    void oneOrTwoNonBlankSecrets() {
        assertThrows(IllegalArgumentException.class, () -> Secrets.of(List.of(), "x"));
        assertThrows(IllegalArgumentException.class, () -> Secrets.of(List.of("a", "b", "c"), "x"));
        assertThrows(IllegalArgumentException.class, () -> Secrets.of(List.of(" "), "x"));
        assertFalse(Secrets.of(List.of("topsecret"), "x").toString().contains("topsecret"));
    }
}
