package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.kafka.CatalogueTopics;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * How the admin side reaches Kafka: the gateway's one {@link KafkaEnvironment} (package
 * {@code kafka}). Depending on {@link CatalogueTopics} makes the topics exist before the admin
 * views start following them.
 */
@Singleton
public final class AdminKafka {
    private final KafkaEnvironment environment;

    public AdminKafka(KafkaEnvironment environment, Optional<CatalogueTopics> topicsCreatedFirst) {
        this.environment = environment;
    }

    public KafkaEnvironment environment() {
        return environment;
    }

    public Topics topics() {
        return environment.topics();
    }
}
