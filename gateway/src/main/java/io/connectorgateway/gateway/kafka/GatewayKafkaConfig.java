package io.connectorgateway.gateway.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the gateway reaches Kafka ({@code gateway.kafka.*}; {@code application.yml} fills each
 * from its environment variable, see the module README).
 *
 * @param bootstrapServers  {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param topicPrefix       {@code CONNECTOR_TOPIC_PREFIX}
 * @param topicPartitions   {@code CONNECTOR_TOPIC_PARTITIONS}
 * @param topicReplication  {@code CONNECTOR_TOPIC_REPLICATION}
 * @param ackTimeout        longest a webhook waits for Kafka's acknowledgement before answering 503;
 *                          also the producer's delivery timeout ({@code GATEWAY_KAFKA_ACK_TIMEOUT})
 * @param createTopics      create missing catalogue topics at startup ({@code GATEWAY_CREATE_TOPICS})
 * @param startupTimeout    how long startup may wait for the topics
 * @param readinessCacheTtl how long a readiness verdict is reused before Kafka is asked again
 */
@ConfigurationProperties("gateway.kafka")
public record GatewayKafkaConfig(
        @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
        @Bindable(defaultValue = "") String topicPrefix,
        @Bindable(defaultValue = "8") int topicPartitions,
        @Bindable(defaultValue = "1") int topicReplication,
        @Bindable(defaultValue = "1500ms") Duration ackTimeout,
        @Bindable(defaultValue = "true") boolean createTopics,
        @Bindable(defaultValue = "30s") Duration startupTimeout,
        @Bindable(defaultValue = "2s") Duration readinessCacheTtl) {

    public GatewayKafkaConfig {
        if (ackTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("gateway.kafka.ack-timeout must be at least 100 ms, got " + ackTimeout);
        }
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
    }
}
