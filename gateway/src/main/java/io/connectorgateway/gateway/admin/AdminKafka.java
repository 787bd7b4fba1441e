package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * How the admin side reaches Kafka: the shared {@link KafkaEnvironment} variables, read through
 * Micronaut so that tests can pass them as properties ({@code kafka.bootstrap.servers} is what
 * Micronaut makes of {@code KAFKA_BOOTSTRAP_SERVERS}).
 */
@Singleton
public final class AdminKafka {
    private static final String[][] VARIABLES = {
        {"KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers"},
        {"CONNECTOR_TOPIC_PREFIX", "connector.topic.prefix"},
        {"CONNECTOR_TOPIC_PARTITIONS", "connector.topic.partitions"},
        {"CONNECTOR_TOPIC_REPLICATION", "connector.topic.replication"},
    };

    private final KafkaEnvironment environment;

    public AdminKafka(Environment micronaut, AdminConfig config) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String[] v : VARIABLES) {
            micronaut.getProperty(v[1], String.class).ifPresent(value -> env.put(v[0], value));
        }
        this.environment = KafkaEnvironment.fromEnvironment(env);
        if (config.ensureTopics()) {
            try (Admin admin = Admin.create(environment.clientConfig())) {
                new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(environment.topics());
            }
        }
    }

    public KafkaEnvironment environment() {
        return environment;
    }

    public Topics topics() {
        return environment.topics();
    }
}
