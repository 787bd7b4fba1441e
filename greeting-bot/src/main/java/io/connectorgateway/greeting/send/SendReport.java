package io.connectorgateway.greeting.send;

import io.connectorgateway.contracts.command.GreetingResult;

/**
 * The outcome of sending one greeting command, with what the audit record needs besides the
 * {@link GreetingResult}.
 *
 * @param result        sent or failed, reason, attempts, latency
 * @param retryKey      the {@code X-Line-Retry-Key} used on every attempt
 * @param lastStatus    the last HTTP status seen, 0 when no answer was received
 * @param contentDigest SHA-256 (hex) of the pushed messages, null when nothing was composed
 * @param lineRequestId LINE's request id of the last answer, when there was one
 */
public record SendReport(GreetingResult result, String retryKey, int lastStatus, String contentDigest,
                         String lineRequestId) {
    public boolean sent() {
        return result.outcome() == GreetingResult.Outcome.SENT;
    }
}
