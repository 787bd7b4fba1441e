package io.connectorgateway.greeting.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryKeyTest {

    @Test
    void isTheSameUuidForTheSameCommandEverywhere() {
        String key = RetryKey.forCommand("cmd-1");
        assertEquals(key, RetryKey.forCommand("cmd-1"));
        assertNotEquals(key, RetryKey.forCommand("cmd-2"));
        assertTrue(key.matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), key);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), LineApi.parseRetryAfter("7"));
        assertEquals(Optional.empty(), LineApi.parseRetryAfter("-1"));
        assertEquals(Optional.empty(), LineApi.parseRetryAfter("soon"));
        assertEquals(Optional.empty(), LineApi.parseRetryAfter(null));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        Duration d = LineApi.parseRetryAfter(inAMinute).orElseThrow();
        assertTrue(d.toSeconds() > 50 && d.toSeconds() <= 60, d.toString());
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(60));
        assertEquals(Optional.of(Duration.ZERO), LineApi.parseRetryAfter(past));
    }
}
