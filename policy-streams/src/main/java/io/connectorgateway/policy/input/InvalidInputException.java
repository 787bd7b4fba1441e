package io.connectorgateway.policy.input;

/**
 * A record that deserialised but breaks the input contract (wrong key, wrong topic for its
 * connector, settings breaking a product rule). Thrown during processing so that the processing
 * exception handler sends the original record to the dead-letter topic with this message.
 */
public final class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
