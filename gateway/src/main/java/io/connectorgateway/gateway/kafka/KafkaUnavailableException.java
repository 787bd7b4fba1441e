package io.connectorgateway.gateway.kafka;

/**
 * Kafka did not acknowledge every record in time. What was sent may or may not have landed: the
 * caller must answer so that the sender retries, and rely on stable event ids downstream.
 */
public final class KafkaUnavailableException extends Exception {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
