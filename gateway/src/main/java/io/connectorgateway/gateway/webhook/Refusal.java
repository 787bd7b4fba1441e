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
        /** The channel's or bot's rate limit: answered 429 with {@code Retry-After}. */
        RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
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
    private final long retryAfterSeconds;

    public Refusal(Reason reason, String message) {
        this(reason, message, reason == Reason.KAFKA_UNAVAILABLE ? 1 : 0);
    }

    public Refusal(Reason reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** Seconds for {@code Retry-After}; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
