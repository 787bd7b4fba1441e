package io.connectorgateway.contracts.audit;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.event.Attachment;
import java.util.List;

/**
 * One message of the searchable conversation history, on {@code connector.history} (compacted,
 * key: {@code tenant:connector:eventId}, see {@code Ids.messageKey}). It stays after its room was dropped; when the sender unsends the message the
 * same key is rewritten with {@code unsent=true} and no content, and compaction removes the old
 * value (SPEC R10). The content is sealed under the message's own key on
 * {@code connector.content.keys}; the unsend tombstones that key, so every sealed copy becomes
 * unreadable within that topic's compaction bound, whatever the history topic still holds.
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
 * @param text           what was said, in clear: entries of schema version 1 only; null in version 2
 *                       (see {@code sealed}) and once unsent
 * @param attachments    attachment metadata, in clear: version 1 only; empty in version 2 and once unsent
 * @param decision       what the gateway decided for it
 * @param unsent         the sender took it back
 * @param sealed         version 2: the text and attachments encrypted under the message's key on
 *                       {@code connector.content.keys} (an unsend deletes that key); null once unsent
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
        boolean unsent,
        SealedContent sealed) {

    /** 2: content sealed (see {@code sealed}); 1: content in clear (earlier releases, still read). */
    public static final int SCHEMA_VERSION = 2;

    /** An entry without sealed content (unsent, or of an earlier release). */
    public HistoryEntry(int schemaVersion, String eventId, String tenant, Connector connector, Direction direction,
                        String roomId, String memberId, String externalUserId, long timestamp, String text,
                        List<Attachment> attachments, AuditKind decision, boolean unsent) {
        this(schemaVersion, eventId, tenant, connector, direction, roomId, memberId, externalUserId, timestamp, text,
                attachments, decision, unsent, null);
    }

    public HistoryEntry {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (unsent && (text != null || !attachments.isEmpty() || sealed != null)) {
            throw new IllegalArgumentException("an unsent history entry keeps no content");
        }
        if (sealed != null && (text != null || !attachments.isEmpty())) {
            throw new IllegalArgumentException("a history entry with sealed content carries no content in clear");
        }
        if (sealed != null && !sealed.keyId().equals(Ids.messageKey(tenant, connector, eventId))) {
            throw new IllegalArgumentException("sealed content of " + sealed.keyId() + " in the entry of "
                    + Ids.messageKey(tenant, connector, eventId));
        }
    }

    /** This entry with its content opened with {@code key} (text and attachments in clear, not sealed). */
    public HistoryEntry opened(ContentKey key) {
        if (sealed == null) {
            return this;
        }
        SealedContent.Content c = sealed.open(key);
        return new HistoryEntry(schemaVersion, eventId, tenant, connector, direction, roomId, memberId, externalUserId,
                timestamp, c.text(), c.attachments(), decision, false, null);
    }

    /** This entry with its sealed content left out (its key is gone: nothing can be read). */
    public HistoryEntry withoutContent() {
        return new HistoryEntry(schemaVersion, eventId, tenant, connector, direction, roomId, memberId, externalUserId,
                timestamp, null, List.of(), decision, unsent, null);
    }

    /** This entry after the sender unsent it: no text, no attachments. */
    public HistoryEntry asUnsent() {
        return new HistoryEntry(schemaVersion, eventId, tenant, connector, direction, roomId, memberId, externalUserId,
                timestamp, null, List.of(), decision, true, null);
    }
}
