package io.connectorgateway.contracts.config;

import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What every service reads from its environment to reach Kafka, so that the three services are
 * configured the same way.
 *
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (default {@code localhost:9092})</li>
 *   <li>{@code CONNECTOR_TOPIC_PREFIX}, {@code CONNECTOR_TOPIC_PARTITIONS},
 *       {@code CONNECTOR_TOPIC_REPLICATION} (see {@link Topics#fromEnvironment})</li>
 *   <li>{@code KAFKA_CLIENT_*}: any further client setting, e.g. {@code KAFKA_CLIENT_SECURITY_PROTOCOL=SSL}
 *       becomes {@code security.protocol=SSL}</li>
 * </ul>
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics           the topic catalogue
 * @param extraClientConfig further client settings applied to every client
 */
public record KafkaEnvironment(String bootstrapServers, Topics topics, Map<String, Object> extraClientConfig) {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    public KafkaEnvironment {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must name at least one broker (host:port)");
        }
        extraClientConfig = Map.copyOf(extraClientConfig);
    }

    public static KafkaEnvironment fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static KafkaEnvironment fromEnvironment(Map<String, String> env) {
        Map<String, Object> extra = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("KAFKA_CLIENT_")) {
                extra.put(k.substring("KAFKA_CLIENT_".length()).toLowerCase().replace('_', '.'), v);
            }
        });
        return new KafkaEnvironment(env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP).trim(),
                Topics.fromEnvironment(env), extra);
    }

    /** Common client settings: bootstrap servers plus the extra ones. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>(extraClientConfig);
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }

    /**
     * An idempotent producer that waits for all in-sync replicas: nothing acknowledged is lost.
     * Records go to their tenant's partition ({@link TenantPartitioner}), as every input topic needs.
     */
    public Map<String, Object> durableProducerConfig(String clientId) {
        Map<String, Object> c = clientConfig();
        c.putAll(TenantPartitioner.CONFIG);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        return c;
    }

    /** A read_committed consumer with manual commits. */
    public Map<String, Object> committedConsumerConfig(String groupId) {
        Map<String, Object> c = clientConfig();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }
}
