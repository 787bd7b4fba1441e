package io.connectorgateway.contracts.command;

import io.connectorgateway.contracts.Ids;

/**
 * The outcome of one greeting command, carried in the audit record the greeting bot writes.
 *
 * @param schemaVersion record schema version
 * @param commandId     the greeting command
 * @param tenant        tenant
 * @param roomId        room
 * @param lineUserId    the LINE user
 * @param outcome       SENT or FAILED
 * @param reason        for FAILED: why (HTTP status and message, retry budget spent, ...)
 * @param attempts      HTTP attempts made
 * @param latencyMs     from first attempt to outcome
 * @param timestamp     epoch milliseconds of the outcome
 */
public record GreetingResult(
        int schemaVersion,
        String commandId,
        String tenant,
        String roomId,
        String lineUserId,
        Outcome outcome,
        String reason,
        int attempts,
        long latencyMs,
        long timestamp) {

    public static final int SCHEMA_VERSION = 1;

    public enum Outcome { SENT, FAILED }

    public GreetingResult {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("commandId", commandId);
        Ids.require("tenant", tenant);
        if (outcome == null) {
            throw new IllegalArgumentException("outcome is required");
        }
        if (outcome == Outcome.FAILED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a FAILED greeting needs a reason");
        }
    }
}
