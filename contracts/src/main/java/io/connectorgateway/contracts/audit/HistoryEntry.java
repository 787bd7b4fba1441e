package io.connectorgateway.contracts.audit;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.event.Attachment;
import java.util.List;

/**
 * One message of the searchable conversation history, on {@code connector.history} (compacted,
 * key: {@code tenant:connector:eventId}, see {@code Ids.messageKey}). It stays after its room was dropped; when the sender unsends the message the
 * same key is rewritten with {@code unsent=true} and no content, and compaction removes the old
 * value (SPEC R10).
 *
 * @param schemaVersion  record schema version
 * @param eventId        the message event
 * @param tenant         tenant
 * @param connector      connector
 * @param direction      direction
 * @param roomId         room it was exchanged in (null when refused outside a room)
 * @param memberId       member
 * @param externalUserId external user
 * @param timestamp      epoch milliseconds
 * @param text           what was said; null once unsent
 * @param attachments    attachment metadata; empty once unsent
 * @param decision       what the gateway decided for it
 * @param unsent         the sender took it back
 */
public record HistoryEntry(
        int schemaVersion,
        String eventId,
        String tenant,
        Connector connector,
        Direction direction,
        String roomId,
        String memberId,
        String externalUserId,
        long timestamp,
        String text,
        List<Attachment> attachments,
        AuditKind decision,
        boolean unsent) {

    public static final int SCHEMA_VERSION = 1;

    public HistoryEntry {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (unsent && (text != null || !attachments.isEmpty())) {
            throw new IllegalArgumentException("an unsent history entry keeps no content");
        }
    }

    /** This entry after the sender unsent it: no text, no attachments. */
    public HistoryEntry asUnsent() {
        return new HistoryEntry(schemaVersion, eventId, tenant, connector, direction, roomId, memberId, externalUserId,
                timestamp, null, List.of(), decision, true);
    }
}
