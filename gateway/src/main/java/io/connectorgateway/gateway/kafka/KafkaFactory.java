package io.connectorgateway.gateway.kafka;

import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka values every part of the gateway shares: the environment (the same
 * {@link KafkaEnvironment} the other services use), the topic catalogue and one admin client.
 */
@Factory
public class KafkaFactory {

    /**
     * Built through {@link KafkaEnvironment#fromEnvironment(Map)} so the gateway reads Kafka the
     * same way as the other services; Micronaut properties win over the process environment so a
     * test or an in-process stack can point the gateway anywhere.
     */
    @Singleton
    KafkaEnvironment kafkaEnvironment(GatewayKafkaConfig config) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", config.topicPrefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(config.topicPartitions()));
        env.put("CONNECTOR_TOPIC_REPLICATION", Integer.toString(config.topicReplication()));
        return KafkaEnvironment.fromEnvironment(env);
    }

    @Singleton
    Topics topics(KafkaEnvironment environment) {
        return environment.topics();
    }

    @Singleton
    @Bean(preDestroy = "close")
    Admin admin(KafkaEnvironment environment) {
        Map<String, Object> c = environment.clientConfig();
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-admin");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(c);
    }

    @Singleton
    TopicBootstrapper topicBootstrapper(Admin admin, GatewayKafkaConfig config) {
        return new TopicBootstrapper(admin, config.startupTimeout());
    }
}
