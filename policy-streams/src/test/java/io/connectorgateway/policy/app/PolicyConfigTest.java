package io.connectorgateway.policy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.testsupport.TestAuditKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's configuration: defaults, the guarantees it always sets, and clear errors. */
class PolicyConfigTest {
    private static final String KEYS = TestAuditKeys.KEYS;

    @Test
    void withoutAnAuditChainKeyThePolicyRefusesToStartAndSaysWhatToSet() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123")));
        assertTrue(e.getMessage().contains("policy-streams") && e.getMessage().contains("AUDIT_CHAIN_KEYS=")
                && e.getMessage().contains("AUDIT_CHAIN_KEYS_FILE"), e.getMessage());
    }

    @Test
    void theAuditChainKeysComeFromTheEnvironmentOrAFileWithTheCheckpointCadence(@TempDir Path dir) throws Exception {
        String two = TestAuditKeys.generate("k1") + "," + TestAuditKeys.generate("k2");
        Path file = dir.resolve("keys");
        Files.writeString(file, two + "\n");
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123",
                "AUDIT_CHAIN_KEYS_FILE", file.toString(), "AUDIT_CHAIN_KEY_ID", "k2",
                "POLICY_CHECKPOINT_RECORDS", "50", "POLICY_CHECKPOINT_INTERVAL_MS", "2000"));
        assertEquals("k2", c.options().auditKeys().activeId());
        assertEquals(java.util.Set.of("k1", "k2"), c.options().auditKeys().ids());
        assertEquals(50, c.options().checkpointRecords());
        assertEquals(2000, c.options().checkpointInterval().toMillis());
        var e = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of(
                "POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", two)));
        assertTrue(e.getMessage().contains("AUDIT_CHAIN_KEY_ID"), e.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of(
                "POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", KEYS, "POLICY_CHECKPOINT_RECORDS", "0")));
        assertTrue(zero.getMessage().contains("POLICY_CHECKPOINT_RECORDS"), zero.getMessage());
    }

    @Test
    void defaultsGiveExactlyOnceTheDlqAndTheDocumentedIds() {
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", KEYS));
        Properties p = c.streamsProperties();
        assertEquals("connector-policy", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("connector.dlq", p.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        assertEquals("0", p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG), "wait for data on the broker, not for producers");
        assertEquals("localhost:9092", p.get("bootstrap.servers"));

        assertTrue(p.keySet().stream().noneMatch(k -> k.toString().endsWith("group.instance.id")),
                "no static membership unless an instance name is given: two unnamed instances must not fence each other");
    }

    @Test
    void anInstanceNameMakesTheStreamThreadsStaticGroupMembers() {
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", KEYS,
                "POLICY_INSTANCE_ID", "policy-1"));
        assertEquals("policy-1", c.streamsProperties().get(StreamsConfig.consumerPrefix("group.instance.id")));
        var e = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(
                Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", KEYS, "POLICY_INSTANCE_ID", "a b")));
        assertTrue(e.getMessage().contains("POLICY_INSTANCE_ID"), e.getMessage());
    }

    @Test
    void environmentOverridesAndBadNumbersAreNamed() {
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_APPLICATION_ID", "p2", "POLICY_THREADS", "3",
                "CONNECTOR_TOPIC_PREFIX", "stage.", "POLICY_TOKEN_SECRET", "0123456789abcdef0123", "AUDIT_CHAIN_KEYS", KEYS));
        assertEquals("3", c.streamsProperties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals("stage.connector.dlq", c.streamsProperties().get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        var e = assertThrows(IllegalArgumentException.class,
                () -> PolicyConfig.fromEnvironment(Map.of("POLICY_THREADS", "many", "AUDIT_CHAIN_KEYS", KEYS)));
        assertTrue(e.getMessage().contains("POLICY_THREADS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "short", "AUDIT_CHAIN_KEYS", KEYS)));
    }
}
