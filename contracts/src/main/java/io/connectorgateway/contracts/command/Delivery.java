package io.connectorgateway.contracts.command;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.GroupContentType;
import java.util.List;

/**
 * An approved message on {@code connector.deliveries} (key: room id) for the platform to deliver.
 *
 * @param schemaVersion    record schema version
 * @param deliveryId       stable id derived from the source event (the platform de-duplicates on it)
 * @param eventId          the source event
 * @param tenant           tenant
 * @param connector        connector
 * @param direction        which way it travels
 * @param roomId           the open room it belongs to
 * @param memberId         the member
 * @param externalUserId   the external user
 * @param text             text to deliver, in clear: schema version 1 only; null in version 2 (see {@code sealed})
 * @param attachments      what is delivered, in clear: version 1 only; empty in version 2
 * @param groupContentType set for WORKS group content
 * @param stripped         what the restriction removed (empty unless STRIP applied); in version 2 the kinds only
 *                         (no names or references: those are content)
 * @param senderNotice     for STRIP: what to tell the sender; null otherwise
 * @param settingsVersion  settings version the decision used
 * @param timestamp        the source event's timestamp
 * @param sealed           version 2: the text and delivered attachments encrypted under the message's key on
 *                         {@code connector.content.keys} ({@code tenant:connector:eventId}); the platform opens it
 *                         with {@link #opened}. An unsend deletes the key, and with it this copy
 */
public record Delivery(
        int schemaVersion,
        String deliveryId,
        String eventId,
        String tenant,
        Connector connector,
        Direction direction,
        String roomId,
        String memberId,
        String externalUserId,
        String text,
        List<Attachment> attachments,
        GroupContentType groupContentType,
        List<Attachment> stripped,
        String senderNotice,
        long settingsVersion,
        long timestamp,
        SealedContent sealed) {

    /** 2: content sealed; 1: content in clear (earlier releases, still read). */
    public static final int SCHEMA_VERSION = 2;

    /** A delivery of an earlier release: content in clear. */
    public Delivery(int schemaVersion, String deliveryId, String eventId, String tenant, Connector connector,
                    Direction direction, String roomId, String memberId, String externalUserId, String text,
                    List<Attachment> attachments, GroupContentType groupContentType, List<Attachment> stripped,
                    String senderNotice, long settingsVersion, long timestamp) {
        this(schemaVersion, deliveryId, eventId, tenant, connector, direction, roomId, memberId, externalUserId, text,
                attachments, groupContentType, stripped, senderNotice, settingsVersion, timestamp, null);
    }

    /**
     * A delivery whose content (text and the attachments that are delivered) is sealed under
     * {@code key}, the message's own; what was stripped is named by kind only.
     */
    public static Delivery sealed(ContentKey key, String deliveryId, String roomId, Direction direction, String memberId,
                                  String externalUserId, String text, List<Attachment> attachments,
                                  GroupContentType groupContentType, List<Attachment> stripped, String senderNotice,
                                  long settingsVersion, long timestamp) {
        List<Attachment> strippedKinds = stripped == null ? List.of()
                : stripped.stream().map(a -> Attachment.of(a.kind())).toList();
        return new Delivery(SCHEMA_VERSION, deliveryId, key.eventId(), key.tenant(), key.connector(), direction, roomId,
                memberId, externalUserId, null, List.of(), groupContentType, strippedKinds, senderNotice, settingsVersion,
                timestamp, SealedContent.seal(key, new SealedContent.Content(text, attachments)));
    }

    /** This delivery without its content, in clear or sealed (for comparing decisions across runs). */
    public Delivery withoutContent() {
        return new Delivery(schemaVersion, deliveryId, eventId, tenant, connector, direction, roomId, memberId,
                externalUserId, null, List.of(), groupContentType, stripped, senderNotice, settingsVersion, timestamp, null);
    }

    /**
     * This delivery with its content opened with {@code key} (the record on
     * {@code connector.content.keys} under {@code tenant:connector:eventId}); a delivery in clear is
     * returned as it is.
     *
     * @throws IllegalArgumentException when the key is not this message's or does not open it
     */
    public Delivery opened(ContentKey key) {
        if (sealed == null) {
            return this;
        }
        SealedContent.Content c = sealed.open(key);
        return new Delivery(schemaVersion, deliveryId, eventId, tenant, connector, direction, roomId, memberId,
                externalUserId, c.text(), c.attachments(), groupContentType, stripped, senderNotice, settingsVersion,
                timestamp, null);
    }

    public Delivery {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("deliveryId", deliveryId);
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        Ids.require("roomId", roomId);
        if (connector == null || direction == null) {
            throw new IllegalArgumentException("connector and direction are required");
        }
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        stripped = stripped == null ? List.of() : List.copyOf(stripped);
        if (sealed != null) {
            if (text != null || !attachments.isEmpty()) {
                throw new IllegalArgumentException("a delivery with sealed content carries no content in clear");
            }
            if (!sealed.keyId().equals(Ids.messageKey(tenant, connector, eventId))) {
                throw new IllegalArgumentException("sealed content of " + sealed.keyId() + " in the delivery of "
                        + Ids.messageKey(tenant, connector, eventId));
            }
        }
    }
}
