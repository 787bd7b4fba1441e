package io.connectorgateway.contracts.audit;

/** Every kind of decision or change that leaves an audit record (SPEC R10). */
public enum AuditKind {
    DELIVERED,
    STRIPPED,
    BLOCKED,
    REFUSED,
    ROOM_OPENED,
    ROOM_DROPPED,
    ROOM_CLOSED,
    UNSENT,
    /** A redelivered or duplicate event, absorbed without a second decision. */
    DUPLICATE,
    GREETING_SENT,
    GREETING_FAILED,
    AUTO_GRANTED,
    SETTINGS_CHANGED,
    MEMBERS_CHANGED,
    DIRECTORY_CHANGED,
    /** A LINE channel or WORKS bot registered, rotated or retired (who, when, fingerprints; never a secret). */
    CHANNEL_CHANGED
}
