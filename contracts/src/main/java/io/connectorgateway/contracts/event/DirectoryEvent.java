package io.connectorgateway.contracts.event;

import io.connectorgateway.contracts.Ids;

/**
 * A change in the tenant's member directory, on {@code connector.directory.events}, keyed
 * {@code tenant:member}. A member who left loses permission on every connector (SPEC R4); a
 * member who joined may be auto-granted (SPEC R9).
 *
 * @param schemaVersion record schema version
 * @param eventId       unique and stable across redeliveries
 * @param tenant        the tenant
 * @param memberId      the member
 * @param type          JOINED or LEFT
 * @param timestamp     epoch milliseconds
 */
public record DirectoryEvent(int schemaVersion, String eventId, String tenant, String memberId, Type type, long timestamp) {
    public static final int SCHEMA_VERSION = 1;

    public enum Type { JOINED, LEFT }

    public DirectoryEvent {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (schemaVersion < 0 || schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported directory event schemaVersion " + schemaVersion);
        }
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        Ids.require("memberId", memberId);
        if (type == null) {
            throw new IllegalArgumentException("type is required (JOINED or LEFT)");
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be epoch milliseconds > 0");
        }
    }

    public static DirectoryEvent of(String eventId, String tenant, String memberId, Type type, long timestamp) {
        return new DirectoryEvent(SCHEMA_VERSION, eventId, tenant, memberId, type, timestamp);
    }

    public String key() {
        return Ids.directoryKey(tenant, memberId);
    }
}
