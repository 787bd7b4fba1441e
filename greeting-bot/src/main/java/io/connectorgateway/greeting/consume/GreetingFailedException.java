package io.connectorgateway.greeting.consume;

/** Why a greeting command was dead-lettered; carries the reason into the DLQ headers. */
public final class GreetingFailedException extends RuntimeException {
    public GreetingFailedException(String reason) {
        super(reason);
    }
}
