package io.connectorgateway.contracts.event;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import java.util.List;

/**
 * The canonical event on {@code connector.line.events} and {@code connector.works.events}: one
 * thing that happened across the company boundary, in either direction.
 *
 * @param schemaVersion    record schema version ({@link #SCHEMA_VERSION})
 * @param eventId          unique and stable across redeliveries (LINE {@code webhookEventId}, a
 *                         content-derived key for WORKS callbacks, the platform's id otherwise);
 *                         the stream de-duplicates on it
 * @param tenant           the member's tenant
 * @param connector        LINE or WORKS; must match the topic
 * @param direction        INBOUND from the external user, OUTBOUND from the member
 * @param type             what happened; must be valid for the connector
 * @param memberId         the tenant's member on this side of the conversation
 * @param externalUserId   the LINE user id or the other tenant's WORKS user id
 * @param roomId           the platform's room id when the sender knows it (the stream tracks rooms itself)
 * @param timestamp        epoch milliseconds when it happened at the source
 * @param text             message text (MESSAGE, GROUP_CONTENT), at most {@value #MAX_TEXT} characters
 * @param attachments      attachments (never null; empty when none), at most {@value #MAX_ATTACHMENTS}
 * @param urlToken         FRIEND_ADD: the friend-add URL token the LINE user came through
 * @param groupContentType GROUP_CONTENT: note, event, folder or board
 * @param targetEventId    UNSEND: the event id of the message taken back
 * @param redelivery       the source says this is a redelivery of an earlier event
 * @param source           free-form origin, e.g. {@code line-webhook}, {@code works-callback}, {@code platform}
 * @param channelId        LINE FRIEND_ADD: the id of the registered LINE channel the user followed (the gateway
 *                         knows it from the webhook URL and the signature check); the greeting goes out through
 *                         this channel. Optional: absent on platform-published events and on records of earlier
 *                         releases (readers then use the member's current channel)
 * @param sealed           schema version 2, MESSAGE and GROUP_CONTENT: the text and attachments encrypted under the
 *                         message's own key on {@code connector.content.keys} (key {@code tenant:connector:eventId},
 *                         written and acknowledged before the event); {@code text} is then null and
 *                         {@code attachments} empty. An unsend deletes the key, and with it this copy. Null: the
 *                         content is in clear (version 1, earlier releases and platforms that do not seal yet)
 */
public record ConnectorEvent(
        int schemaVersion,
        String eventId,
        String tenant,
        Connector connector,
        Direction direction,
        EventType type,
        String memberId,
        String externalUserId,
        String roomId,
        long timestamp,
        String text,
        List<Attachment> attachments,
        String urlToken,
        GroupContentType groupContentType,
        String targetEventId,
        boolean redelivery,
        String source,
        String channelId,
        SealedContent sealed) {

    /** 2: content sealed ({@code sealed}); what readers accept. */
    public static final int SCHEMA_VERSION = 2;
    /**
     * 1: content in clear. Events without sealed content are still written as version 1, so a
     * reader of an earlier release (which refuses versions it does not know) keeps reading them.
     */
    public static final int CLEAR_SCHEMA_VERSION = 1;
    public static final int MAX_TEXT = 20_000;
    public static final int MAX_ATTACHMENTS = 50;
    /** The base64 ciphertext of sealed content: at most the contract's JSON document limit. */
    public static final int MAX_SEALED_CHARS = 1 << 20;

    public ConnectorEvent {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (schemaVersion < 0 || schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported event schemaVersion " + schemaVersion);
        }
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        Ids.require("memberId", memberId);
        Ids.require("externalUserId", externalUserId);
        Ids.optional("roomId", roomId);
        if (connector == null) {
            throw new IllegalArgumentException("connector is required (LINE or WORKS)");
        }
        if (direction == null) {
            throw new IllegalArgumentException("direction is required (INBOUND or OUTBOUND)");
        }
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        if (!type.appliesTo(connector)) {
            throw new IllegalArgumentException("event type " + type + " does not exist on the " + connector + " connector");
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be epoch milliseconds > 0");
        }
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text is longer than " + MAX_TEXT + " characters");
        }
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (attachments.size() > MAX_ATTACHMENTS) {
            throw new IllegalArgumentException("more than " + MAX_ATTACHMENTS + " attachments");
        }
        Ids.optional("channelId", channelId);
        if (channelId != null && connector != Connector.LINE) {
            throw new IllegalArgumentException("channelId names a LINE channel: only LINE events carry it");
        }
        if (source != null && source.length() > 64) {
            throw new IllegalArgumentException("source is longer than 64 characters");
        }
        if (sealed != null) {
            if (type != EventType.MESSAGE && type != EventType.GROUP_CONTENT) {
                throw new IllegalArgumentException("only a MESSAGE or GROUP_CONTENT carries sealed content, not a " + type);
            }
            if (text != null || !attachments.isEmpty()) {
                throw new IllegalArgumentException("an event with sealed content carries no text or attachments in clear");
            }
            if (!sealed.keyId().equals(Ids.messageKey(tenant, connector, eventId))) {
                throw new IllegalArgumentException("content sealed under " + sealed.keyId() + " in the event "
                        + Ids.messageKey(tenant, connector, eventId) + ": an event is sealed under its own key");
            }
            if (sealed.ciphertext().length() > MAX_SEALED_CHARS) {
                throw new IllegalArgumentException("sealed content is longer than " + MAX_SEALED_CHARS + " characters");
            }
        }
        switch (type) {
            case MESSAGE -> {
                if ((text == null || text.isEmpty()) && attachments.isEmpty() && sealed == null) {
                    throw new IllegalArgumentException("a MESSAGE needs text or at least one attachment");
                }
            }
            case FRIEND_ADD -> {
                if (direction != Direction.INBOUND) {
                    throw new IllegalArgumentException("a FRIEND_ADD comes from the LINE user: direction must be INBOUND");
                }
                Ids.require("urlToken", urlToken);
            }
            case UNFOLLOW -> {
                if (direction != Direction.INBOUND) {
                    throw new IllegalArgumentException("an UNFOLLOW comes from the LINE user: direction must be INBOUND");
                }
            }
            case CONTACT_ADD -> {
                if (direction != Direction.OUTBOUND) {
                    throw new IllegalArgumentException("a CONTACT_ADD is made by the member: direction must be OUTBOUND");
                }
            }
            case UNSEND -> Ids.require("targetEventId", targetEventId);
            case GROUP_CONTENT -> {
                if (groupContentType == null) {
                    throw new IllegalArgumentException("GROUP_CONTENT needs groupContentType (NOTE, EVENT, FOLDER or BOARD)");
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    /** The same without sealed content (content in clear). */
    public ConnectorEvent(int schemaVersion, String eventId, String tenant, Connector connector, Direction direction,
                          EventType type, String memberId, String externalUserId, String roomId, long timestamp, String text,
                          List<Attachment> attachments, String urlToken, GroupContentType groupContentType,
                          String targetEventId, boolean redelivery, String source, String channelId) {
        this(schemaVersion, eventId, tenant, connector, direction, type, memberId, externalUserId, roomId, timestamp, text,
                attachments, urlToken, groupContentType, targetEventId, redelivery, source, channelId, null);
    }

    /** The same without {@code channelId} (the shape of earlier releases). */
    public ConnectorEvent(int schemaVersion, String eventId, String tenant, Connector connector, Direction direction,
                          EventType type, String memberId, String externalUserId, String roomId, long timestamp, String text,
                          List<Attachment> attachments, String urlToken, GroupContentType groupContentType,
                          String targetEventId, boolean redelivery, String source) {
        this(schemaVersion, eventId, tenant, connector, direction, type, memberId, externalUserId, roomId, timestamp, text,
                attachments, urlToken, groupContentType, targetEventId, redelivery, source, null);
    }

    /** Whether this event has content (text or attachments, in clear or sealed) that an unsend can take back. */
    public boolean carriesContent() {
        return type == EventType.MESSAGE || type == EventType.GROUP_CONTENT;
    }

    /** The key id this event's content is (or would be) sealed under: {@code tenant:connector:eventId}. */
    public String contentKeyId() {
        return Ids.messageKey(tenant, connector, eventId);
    }

    /**
     * This event with its content sealed under {@code key} (which must be this message's:
     * {@link #contentKeyId()}): what a producer writes after it has written {@code key} to
     * {@code connector.content.keys} and had it acknowledged. The helper for every producer of
     * events (the gateway's webhooks, the platform): mint the key with
     * {@link SealedContent#newKey}, produce it and wait for its acknowledgement, then produce
     * {@code event.sealedUnder(key)}.
     */
    public ConnectorEvent sealedUnder(ContentKey key) {
        if (sealed != null) {
            return this;
        }
        if (!carriesContent()) {
            throw new IllegalArgumentException("a " + type + " has no content to seal");
        }
        if (!key.id().equals(contentKeyId())) {
            throw new IllegalArgumentException("the key " + key.id() + " is not the key of " + contentKeyId());
        }
        return withContent(null, List.of(), SealedContent.seal(key, new SealedContent.Content(text, attachments)));
    }

    /**
     * This event with its content opened with {@code key} (text and attachments in clear, nothing
     * sealed); an event in clear is returned as it is.
     *
     * @throws IllegalArgumentException when the key is not this event's or does not open it
     */
    public ConnectorEvent opened(ContentKey key) {
        if (sealed == null) {
            return this;
        }
        SealedContent.Content c = sealed.open(key);
        return withContent(c.text(), c.attachments(), null);
    }

    private ConnectorEvent withContent(String text, List<Attachment> attachments, SealedContent sealed) {
        return new ConnectorEvent(sealed == null ? CLEAR_SCHEMA_VERSION : SCHEMA_VERSION, eventId, tenant, connector, direction,
                type, memberId, externalUserId, roomId, timestamp, text, attachments, urlToken, groupContentType,
                targetEventId, redelivery, source, channelId, sealed);
    }

    /** The conversation this event belongs to: {@code tenant:connector:member:externalUser}. */
    public String pairKey() {
        return Ids.pairKey(tenant, connector, memberId, externalUserId);
    }

    /** The key of the member's settings row. */
    public String settingsKey() {
        return Ids.settingsKey(tenant, connector);
    }

    /** The key of the member's connected-member row. */
    public String memberKey() {
        return Ids.memberKey(tenant, connector, memberId);
    }

    /** A builder for the many optional fields; mostly for tests and adapters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; {@link #build()} runs the same validation as the constructor. */
    public static final class Builder {
        private String eventId;
        private String tenant;
        private Connector connector;
        private Direction direction;
        private EventType type;
        private String memberId;
        private String externalUserId;
        private String roomId;
        private long timestamp;
        private String text;
        private List<Attachment> attachments = List.of();
        private String urlToken;
        private GroupContentType groupContentType;
        private String targetEventId;
        private boolean redelivery;
        private String source;
        private String channelId;
        private SealedContent sealed;

        public Builder eventId(String v) { this.eventId = v; return this; }
        public Builder tenant(String v) { this.tenant = v; return this; }
        public Builder connector(Connector v) { this.connector = v; return this; }
        public Builder direction(Direction v) { this.direction = v; return this; }
        public Builder type(EventType v) { this.type = v; return this; }
        public Builder memberId(String v) { this.memberId = v; return this; }
        public Builder externalUserId(String v) { this.externalUserId = v; return this; }
        public Builder roomId(String v) { this.roomId = v; return this; }
        public Builder timestamp(long v) { this.timestamp = v; return this; }
        public Builder text(String v) { this.text = v; return this; }
        public Builder attachments(List<Attachment> v) { this.attachments = v; return this; }
        public Builder attachments(Attachment... v) { this.attachments = List.of(v); return this; }
        public Builder urlToken(String v) { this.urlToken = v; return this; }
        public Builder groupContentType(GroupContentType v) { this.groupContentType = v; return this; }
        public Builder targetEventId(String v) { this.targetEventId = v; return this; }
        public Builder redelivery(boolean v) { this.redelivery = v; return this; }
        public Builder source(String v) { this.source = v; return this; }
        public Builder channelId(String v) { this.channelId = v; return this; }
        public Builder sealed(SealedContent v) { this.sealed = v; return this; }

        public ConnectorEvent build() {
            return new ConnectorEvent(sealed == null ? CLEAR_SCHEMA_VERSION : SCHEMA_VERSION, eventId, tenant, connector,
                    direction, type, memberId,
                    externalUserId, roomId, timestamp, text, attachments, urlToken, groupContentType,
                    targetEventId, redelivery, source, channelId, sealed);
        }
    }
}
