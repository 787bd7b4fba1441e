package io.connectorgateway.gateway.webhook;

import io.micronaut.http.HttpStatus;

/**
 * A webhook request refused as a whole: nothing of it reaches Kafka.
 *
 * @see Reason
 */
public final class Refusal extends RuntimeException {
    /** Why, also the {@code reason} tag of the rejection metric. */
    public enum Reason {
        OVERSIZED(HttpStatus.REQUEST_ENTITY_TOO_LARGE),
        UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
        MISSING_SIGNATURE(HttpStatus.UNAUTHORIZED),
        /** A signature or sender header given more than once: proxies disagree on which one counts. */
        DUPLICATE_HEADER(HttpStatus.UNAUTHORIZED),
        BAD_SIGNATURE(HttpStatus.UNAUTHORIZED),
        UNKNOWN_CHANNEL(HttpStatus.UNAUTHORIZED),
        UNKNOWN_BOT(HttpStatus.UNAUTHORIZED),
        DESTINATION_MISMATCH(HttpStatus.UNAUTHORIZED),
        MALFORMED_JSON(HttpStatus.BAD_REQUEST),
        MALFORMED_PAYLOAD(HttpStatus.BAD_REQUEST),
        KAFKA_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE);

        private final HttpStatus status;

        Reason(HttpStatus status) {
            this.status = status;
        }

        public HttpStatus status() {
            return status;
        }

        public String tag() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private final Reason reason;

    public Refusal(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
