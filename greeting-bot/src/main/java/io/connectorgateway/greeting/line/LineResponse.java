package io.connectorgateway.greeting.line;

import java.time.Duration;
import java.util.Optional;

/**
 * What LINE answered to one request.
 *
 * @param status     HTTP status
 * @param retryAfter the {@code Retry-After} the answer carried, if any
 * @param requestId  LINE's {@code X-Line-Request-Id}, for support cases
 * @param body       response body (LINE's error JSON on failures), possibly empty
 */
public record LineResponse(int status, Optional<Duration> retryAfter, String requestId, String body) {
    public boolean accepted() {
        return status >= 200 && status < 300;
    }

    /** LINE already accepted a request with this retry key: the greeting went out before. */
    public boolean alreadyAccepted() {
        return status == 409;
    }

    public boolean tooManyRequests() {
        return status == 429;
    }

    public boolean serverError() {
        return status >= 500;
    }

    /** A short description for audit reasons: status and LINE's message, no more than 300 characters. */
    public String describe() {
        String b = body == null ? "" : body.strip();
        if (b.length() > 240) {
            b = b.substring(0, 240) + "...";
        }
        return "HTTP " + status + (b.isEmpty() ? "" : " " + b);
    }
}
