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
    /**
     * An event refused as stale: its own timestamp is older than the freshness window (or stamped
     * too far ahead), so it may be a replay of a captured event; never judged (see
     * {@code EventFreshness}).
     */
    STALE,
    GREETING_SENT,
    GREETING_FAILED,
    AUTO_GRANTED,
    SETTINGS_CHANGED,
    MEMBERS_CHANGED,
    DIRECTORY_CHANGED,
    /** An admin read conversation content (audit search with messages, history, export): who, which filter, how many. */
    CONTENT_READ,
    /** An admin credential was added, changed or revoked (the credentials file was reloaded). */
    CREDENTIALS_CHANGED,
    /** A LINE channel or WORKS bot registered, rotated or retired (who, when, fingerprints; never a secret). */
    CHANNEL_CHANGED
}
