package io.connectorgateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The Testcontainers path: the build's Kafka version, and a clear refusal where Docker is missing. */
class ContainerKafkaTest {

    @Test
    void theContainerRunsTheKafkaVersionOnTheClasspath() {
        // The image tag follows the kafka-clients jar the root pom manages, so an upgrade moves both.
        assertTrue(System.getProperty("kafka.container.image") != null
                || ContainerKafka.IMAGE.endsWith(":" + AppInfoParser.getVersion()), ContainerKafka.IMAGE);
        assertFalse(ContainerKafka.IMAGE.endsWith(":4.1.1"), "not the old pinned image");
    }

    @Test
    void withoutADockerEngineTheContainerBrokerIsUnavailableWithAMessageSayingSo() {
        assumeFalse(dockerAvailable(), "a Docker engine is reachable here; this checks the machines without one");
        BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class, ContainerKafka::start);
        assertTrue(e.getMessage().contains("needs a Docker engine"), e.getMessage());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
