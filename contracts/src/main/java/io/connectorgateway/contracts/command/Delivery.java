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

    /**
     * A delivery of message {@code eventId} of {@code tenant} on {@code connector}, built by what it
     * says: {@link Builder#room}, {@link Builder#content}, {@link Builder#stripped},
     * {@link Builder#decidedUnder}; {@link Builder#sealedUnder} ends it as this release writes it,
     * {@link Builder#inClear} as earlier releases did.
     */
    public static Builder of(String deliveryId, String tenant, Connector connector, String eventId, Direction direction) {
        Builder b = new Builder();
        b.deliveryId = deliveryId;
        b.tenant = tenant;
        b.connector = connector;
        b.eventId = eventId;
        b.direction = direction;
        return b;
    }

    /** A builder holding every field of this delivery (sealed content included). */
    public Builder toBuilder() {
        Builder b = of(deliveryId, tenant, connector, eventId, direction)
                .room(roomId, memberId, externalUserId)
                .content(text, attachments)
                .groupContentType(groupContentType)
                .stripped(stripped, senderNotice)
                .decidedUnder(settingsVersion, timestamp);
        b.schemaVersion = schemaVersion;
        b.sealed = sealed;
        return b;
    }

    /** This delivery without its content, in clear or sealed (for comparing decisions across runs). */
    public Delivery withoutContent() {
        return toBuilder().content(null, List.of()).unsealed().build();
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
        return toBuilder().content(c.text(), c.attachments()).unsealed().build();
    }

    /** See {@link #of}. Not thread-safe; one delivery per builder. */
    public static final class Builder {
        private int schemaVersion = SCHEMA_VERSION;
        private String deliveryId;
        private String eventId;
        private String tenant;
        private Connector connector;
        private Direction direction;
        private String roomId;
        private String memberId;
        private String externalUserId;
        private String text;
        private List<Attachment> attachments = List.of();
        private GroupContentType groupContentType;
        private List<Attachment> stripped = List.of();
        private String senderNotice;
        private long settingsVersion;
        private long timestamp;
        private SealedContent sealed;

        private Builder() {
        }

        /** The open room it belongs to, between this member and this external user. */
        public Builder room(String roomId, String memberId, String externalUserId) {
            this.roomId = roomId;
            this.memberId = memberId;
            this.externalUserId = externalUserId;
            return this;
        }

        /** What is delivered: the text and the attachments kept. */
        public Builder content(String text, List<Attachment> attachments) {
            this.text = text;
            this.attachments = attachments == null ? List.of() : attachments;
            return this;
        }

        /** For WORKS group content. */
        public Builder groupContentType(GroupContentType type) {
            this.groupContentType = type;
            return this;
        }

        /** STRIP applied: what it removed, and what to tell the sender. */
        public Builder stripped(List<Attachment> removed, String senderNotice) {
            this.stripped = removed == null ? List.of() : removed;
            this.senderNotice = senderNotice;
            return this;
        }

        /** The settings version the decision used and the source event's timestamp. */
        public Builder decidedUnder(long settingsVersion, long timestamp) {
            this.settingsVersion = settingsVersion;
            this.timestamp = timestamp;
            return this;
        }

        public String deliveryId() {
            return deliveryId;
        }

        /**
         * This release's delivery (schema 2): the text and the delivered attachments sealed under
         * {@code key}, the message's own; what was stripped named by kind only.
         *
         * @throws IllegalArgumentException when {@code key} is not this message's
         */
        public Delivery sealedUnder(ContentKey key) {
            if (!key.id().equals(Ids.messageKey(tenant, connector, eventId))) {
                throw new IllegalArgumentException("key " + key.id() + " is not the key of message "
                        + Ids.messageKey(tenant, connector, eventId));
            }
            return new Delivery(SCHEMA_VERSION, deliveryId, eventId, tenant, connector, direction, roomId, memberId,
                    externalUserId, null, List.of(), groupContentType, stripped.stream().map(a -> Attachment.of(a.kind())).toList(),
                    senderNotice, settingsVersion, timestamp, SealedContent.seal(key, new SealedContent.Content(text, attachments)));
        }

        /** Drops the sealed content {@link #toBuilder} carried over (the content set is what the delivery holds). */
        private Builder unsealed() {
            sealed = null;
            return this;
        }

        /** An earlier release's delivery (schema 1): content in clear. */
        public Delivery inClear() {
            schemaVersion = 1;
            sealed = null;
            return build();
        }

        private Delivery build() {
            return new Delivery(schemaVersion, deliveryId, eventId, tenant, connector, direction, roomId, memberId,
                    externalUserId, text, attachments, groupContentType, stripped, senderNotice, settingsVersion, timestamp,
                    sealed);
        }
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
