package io.connectorgateway.greeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GreetingBotConfigTest {
    private static final String KEY = GreetingHarness.newKey("kek7");

    @Test
    void defaultsAreTheDocumentedOnes() {
        GreetingBotConfig c = GreetingBotConfig.fromEnvironment(Map.of("GREETING_INSTANCE_ID", "i-1", "CONNECTOR_CHANNEL_KEYS", KEY));
        assertEquals("localhost:9092", c.kafka().bootstrapServers());
        assertEquals("greeting-bot", c.groupId());
        assertEquals("greeting-bot-i-1", c.transactionalId());
        assertEquals(URI.create("https://api.line.me"), c.lineApiBaseUrl());
        assertEquals(6, c.retry().maxAttempts());
        assertEquals(Duration.ofMillis(500), c.retry().initialBackoff());
        assertEquals(Duration.ofHours(23), c.maxAge());
        assertEquals(2_000, c.rateLimitPerSecond());
        assertEquals(32, c.workerThreads());
        assertEquals(4, c.tenantInFlight());
        assertEquals(8082, c.httpPort());
        assertEquals("there", c.userNameFallback());
        assertTrue(c.createTopics());
    }

    @Test
    void readsEveryOverride() {
        GreetingBotConfig c = GreetingBotConfig.fromEnvironment(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k:9093"),
                Map.entry("GREETING_GROUP_ID", "g"),
                Map.entry("GREETING_INSTANCE_ID", "i"),
                Map.entry("LINE_API_BASE_URL", "http://127.0.0.1:8089/"),
                Map.entry("CONNECTOR_CHANNEL_KEYS", KEY),
                Map.entry("GREETING_MAX_ATTEMPTS", "3"),
                Map.entry("GREETING_RETRY_AFTER_MAX_MS", "1000"),
                Map.entry("GREETING_MAX_AGE_MS", "3153600000000"),
                Map.entry("GREETING_RATE_LIMIT_PER_SECOND", "12.5"),
                Map.entry("GREETING_TENANT_IN_FLIGHT", "1"),
                Map.entry("GREETING_PORT", "-1"),
                Map.entry("GREETING_CREATE_TOPICS", "false")));
        assertEquals("k:9093", c.kafka().bootstrapServers());
        assertEquals(URI.create("http://127.0.0.1:8089"), c.lineApiBaseUrl());
        assertEquals("kek7", c.channelKeys().primaryKeyId());
        assertEquals(3, c.retry().maxAttempts());
        assertEquals(Duration.ofSeconds(1), c.retry().maxRetryAfter());
        assertEquals(Duration.ofMillis(3_153_600_000_000L), c.maxAge());
        assertEquals(12.5, c.rateLimitPerSecond());
        assertEquals(1, c.tenantInFlight());
        assertEquals(-1, c.httpPort());
        assertEquals(false, c.createTopics());
    }

    @Test
    void refusesToStartWithoutTheKeysThatOpenTheChannelTokensSayingWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GreetingBotConfig.fromEnvironment(Map.of("GREETING_LINE_TOKEN_DEFAULT", "t")));
        assertTrue(e.getMessage().contains("CONNECTOR_CHANNEL_KEYS is not set"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> GreetingBotConfig.fromEnvironment(Map.of("CONNECTOR_CHANNEL_KEYS", "kek1:dG9vLXNob3J0")));
        assertTrue(e.getMessage().contains("must be 32 bytes"), e.getMessage());
    }

    @Test
    void refusesNonsenseWithTheVariableName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreetingBotConfig.fromEnvironment(Map.of("GREETING_MAX_ATTEMPTS", "many", "CONNECTOR_CHANNEL_KEYS", KEY)));
        assertTrue(e.getMessage().contains("GREETING_MAX_ATTEMPTS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GreetingBotConfig.fromEnvironment(Map.of("LINE_API_BASE_URL", "ftp://x", "CONNECTOR_CHANNEL_KEYS", KEY)));
        assertTrue(e.getMessage().contains("LINE_API_BASE_URL"), e.getMessage());
    }
}
