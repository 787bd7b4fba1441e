package io.connectorgateway.policy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The runner's configuration: defaults, the guarantees it always sets, and clear errors. */
class PolicyConfigTest {

    @Test
    void defaultsGiveExactlyOnceTheDlqAndTheDocumentedIds() {
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123"));
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
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123",
                "POLICY_INSTANCE_ID", "policy-1"));
        assertEquals("policy-1", c.streamsProperties().get(StreamsConfig.consumerPrefix("group.instance.id")));
        var e = assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(
                Map.of("POLICY_TOKEN_SECRET", "0123456789abcdef0123", "POLICY_INSTANCE_ID", "a b")));
        assertTrue(e.getMessage().contains("POLICY_INSTANCE_ID"), e.getMessage());
    }

    @Test
    void environmentOverridesAndBadNumbersAreNamed() {
        PolicyConfig c = PolicyConfig.fromEnvironment(Map.of("POLICY_APPLICATION_ID", "p2", "POLICY_THREADS", "3",
                "CONNECTOR_TOPIC_PREFIX", "stage.", "POLICY_TOKEN_SECRET", "0123456789abcdef0123"));
        assertEquals("3", c.streamsProperties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals("stage.connector.dlq", c.streamsProperties().get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        var e = assertThrows(IllegalArgumentException.class,
                () -> PolicyConfig.fromEnvironment(Map.of("POLICY_THREADS", "many")));
        assertTrue(e.getMessage().contains("POLICY_THREADS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyConfig.fromEnvironment(Map.of("POLICY_TOKEN_SECRET", "short")));
    }
}
