package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.event.ConnectorEvent;

/** What becomes of one platform event of a signed, well-formed webhook request. */
public sealed interface Outcome {

    /** A canonical event for the connector's event topic. */
    record Produce(ConnectorEvent event) implements Outcome {
    }

    /**
     * Acknowledged and counted but not produced: the platform sent something with no meaning for
     * the product (a group chat, a postback, ...). Failing it would make the platform redeliver it
     * forever.
     *
     * @param kind   the platform's event type, for the metric
     * @param reason why it has no product meaning, for the metric
     */
    record Ignore(String kind, String reason) implements Outcome {
    }

    /**
     * Signed by the platform but impossible to turn into a canonical event (a missing user id, an
     * id the contract cannot carry, ...): kept on {@code connector.dlq} with the reason, never
     * dropped silently, and the rest of the request still goes through.
     *
     * @param kind     the platform's event type, for the metric
     * @param rawEvent the event's JSON as received
     * @param error    what was wrong
     */
    record DeadLetter(String kind, byte[] rawEvent, Exception error) implements Outcome {
    }
}
