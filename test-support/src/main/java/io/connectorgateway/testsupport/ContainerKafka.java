package io.connectorgateway.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Apache Kafka in a container, for machines that have a Docker engine ({@code -Dkafka.broker=container}). */
final class ContainerKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerKafka.class);
    /** The broker image of the Kafka version the build uses (the root pom's), unless overridden. */
    static final String IMAGE = System.getProperty("kafka.container.image",
            "apache/kafka-native:" + org.apache.kafka.common.utils.AppInfoParser.getVersion());

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            docker = false;
        }
        if (!docker) {
            throw new BrokerUnavailableException("-Dkafka.broker=container needs a Docker engine and none is reachable here;"
                    + " run without -Dkafka.broker to use the embedded broker, or set KAFKA_BOOTSTRAP_SERVERS");
        }
        KafkaContainer c = new KafkaContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        c.start();
        LOG.info("Kafka container {} ready at {}", IMAGE, c.getBootstrapServers());
        return new ContainerKafka(c);
    }

    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
