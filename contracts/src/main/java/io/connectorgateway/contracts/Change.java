package io.connectorgateway.contracts;

/**
 * Who made a settings change, why, and when. Every settings row and connected-member row carries one.
 *
 * @param actor  who made it
 * @param reason why, in the actor's words (required: the audit trail must say why)
 * @param at     epoch milliseconds when it was accepted
 */
public record Change(Actor actor, String reason, long at) {
    public Change {
        if (actor == null) {
            throw new IllegalArgumentException("change.actor is required");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("change.reason is required: say why the setting changes");
        }
        if (reason.length() > 1000) {
            throw new IllegalArgumentException("change.reason is longer than 1000 characters");
        }
    }
}
