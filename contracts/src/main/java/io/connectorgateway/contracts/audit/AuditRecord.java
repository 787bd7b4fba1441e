package io.connectorgateway.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import java.util.List;
import java.util.Map;

/**
 * One record on {@code connector.audit} (key: tenant) per decision or settings change (SPEC R10).
 *
 * <p>Message content is never written here, only its digest: the searchable conversation history
 * is {@code connector.history}, where an unsend removes the content (SPEC R10).
 *
 * @param schemaVersion   record schema version
 * @param auditId         stable, unique id (derived from the cause and the kind)
 * @param tenant          tenant
 * @param connector       connector, when the record concerns one
 * @param kind            what was decided or changed
 * @param rule            the SPEC rule applied (R1 ... R11)
 * @param reason          human-readable reason
 * @param settingsVersion settings version used, when one was
 * @param timestamp       epoch milliseconds of the cause
 * @param eventId         the causing event or change id
 * @param roomId          room, when there is one
 * @param memberId        member, when there is one
 * @param externalUserId  external user, when there is one
 * @param direction       direction of a message
 * @param actor           who caused it (admin, system, member or external user)
 * @param contentDigest   SHA-256 of a message's content, hex; never the content
 * @param attachmentKinds kinds of the attachments concerned (metadata only)
 * @param before          settings before a change (JSON), when applicable
 * @param after           settings after a change (JSON), when applicable
 * @param detail          further facts (attempts, latency, stripped kinds, ...)
 * @param chain           the chain this record is linked in: its writer, the policy application
 *                        that owns the tenant's partition (null on records not yet chained, and
 *                        on records chained before chains were named)
 * @param keyId           id of the audit chain key ({@link AuditKeys}) whose HMAC-SHA256 is {@code hash};
 *                        null on unkeyed records (plain SHA-256, written by earlier releases)
 * @param prevHash        hash of the previous record of the same tenant and chain (tamper-evident chain)
 * @param hash            HMAC-SHA256 (or, unkeyed, SHA-256) of this record including {@code chain},
 *                        {@code keyId} and {@code prevHash}
 */
public record AuditRecord(
        int schemaVersion,
        String auditId,
        String tenant,
        Connector connector,
        AuditKind kind,
        String rule,
        String reason,
        Long settingsVersion,
        long timestamp,
        String eventId,
        String roomId,
        String memberId,
        String externalUserId,
        Direction direction,
        Actor actor,
        String contentDigest,
        List<String> attachmentKinds,
        JsonNode before,
        JsonNode after,
        Map<String, String> detail,
        String chain,
        String keyId,
        String prevHash,
        String hash) {

    public static final int SCHEMA_VERSION = 1;

    public AuditRecord {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (auditId == null || auditId.isBlank() || auditId.length() > 512) {
            throw new IllegalArgumentException("auditId is required (at most 512 characters)");
        }
        Ids.require("tenant", tenant);
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("rule is required: every audit record names the rule applied");
        }
        attachmentKinds = attachmentKinds == null ? List.of() : List.copyOf(attachmentKinds);
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }

    /** A record not yet chained: what services write to the intake and the policy task decides. */
    public AuditRecord(int schemaVersion, String auditId, String tenant, Connector connector, AuditKind kind, String rule,
                       String reason, Long settingsVersion, long timestamp, String eventId, String roomId, String memberId,
                       String externalUserId, Direction direction, Actor actor, String contentDigest,
                       List<String> attachmentKinds, JsonNode before, JsonNode after, Map<String, String> detail,
                       String prevHash, String hash) {
        this(schemaVersion, auditId, tenant, connector, kind, rule, reason, settingsVersion, timestamp, eventId, roomId,
                memberId, externalUserId, direction, actor, contentDigest, attachmentKinds, before, after, detail, null,
                null, prevHash, hash);
    }

    /** A record of a named chain without a key id (as earlier releases wrote them). */
    public AuditRecord(int schemaVersion, String auditId, String tenant, Connector connector, AuditKind kind, String rule,
                       String reason, Long settingsVersion, long timestamp, String eventId, String roomId, String memberId,
                       String externalUserId, Direction direction, Actor actor, String contentDigest,
                       List<String> attachmentKinds, JsonNode before, JsonNode after, Map<String, String> detail,
                       String chain, String prevHash, String hash) {
        this(schemaVersion, auditId, tenant, connector, kind, rule, reason, settingsVersion, timestamp, eventId, roomId,
                memberId, externalUserId, direction, actor, contentDigest, attachmentKinds, before, after, detail, chain,
                null, prevHash, hash);
    }

    /** Same record with the chain fields set; used by the single audit writer per tenant and chain. */
    public AuditRecord chained(String newChain, String newKeyId, String newPrevHash, String newHash) {
        return new AuditRecord(schemaVersion, auditId, tenant, connector, kind, rule, reason, settingsVersion,
                timestamp, eventId, roomId, memberId, externalUserId, direction, actor, contentDigest,
                attachmentKinds, before, after, detail, newChain, newKeyId, newPrevHash, newHash);
    }

    /** Same record with only the hash fields changed (the chain name and key id kept). */
    public AuditRecord chained(String newPrevHash, String newHash) {
        return chained(chain, keyId, newPrevHash, newHash);
    }

    /**
     * A record to write, built by what it says: the four facts every record has, then only the
     * ones that apply. The record is not chained yet (the policy task links it into its tenant's
     * chain).
     */
    public static Builder builder(String auditId, String tenant, AuditKind kind, String rule) {
        return new Builder(auditId, tenant, kind, rule);
    }

    /** See {@link #builder}. Unset facts stay null (or empty), as the record's readers expect. */
    public static final class Builder {
        private final String auditId;
        private final String tenant;
        private final AuditKind kind;
        private final String rule;
        private Connector connector;
        private String reason;
        private Long settingsVersion;
        private long timestamp;
        private String eventId;
        private String roomId;
        private String memberId;
        private String externalUserId;
        private Direction direction;
        private Actor actor;
        private String contentDigest;
        private List<String> attachmentKinds = List.of();
        private JsonNode before;
        private JsonNode after;
        private Map<String, String> detail = Map.of();

        private Builder(String auditId, String tenant, AuditKind kind, String rule) {
            this.auditId = auditId;
            this.tenant = tenant;
            this.kind = kind;
            this.rule = rule;
        }

        public Builder connector(Connector value) { connector = value; return this; }
        public Builder reason(String value) { reason = value; return this; }
        public Builder settingsVersion(Long value) { settingsVersion = value; return this; }
        /** Epoch milliseconds of the cause. */
        public Builder at(long epochMillis) { timestamp = epochMillis; return this; }
        /** The causing event or change id. */
        public Builder cause(String eventOrChangeId) { eventId = eventOrChangeId; return this; }
        public Builder room(String value) { roomId = value; return this; }
        public Builder member(String value) { memberId = value; return this; }
        public Builder externalUser(String value) { externalUserId = value; return this; }
        public Builder direction(Direction value) { direction = value; return this; }
        public Builder actor(Actor value) { actor = value; return this; }
        /** SHA-256 of a message's content, hex; never the content. */
        public Builder contentDigest(String value) { contentDigest = value; return this; }
        public Builder attachmentKinds(List<String> value) { attachmentKinds = value; return this; }
        /** Settings (or another admin-changed row) before and after a change, as JSON. */
        public Builder change(JsonNode beforeValue, JsonNode afterValue) { before = beforeValue; after = afterValue; return this; }
        public Builder detail(Map<String, String> value) { detail = value; return this; }

        public AuditRecord build() {
            return new AuditRecord(SCHEMA_VERSION, auditId, tenant, connector, kind, rule, reason, settingsVersion, timestamp,
                    eventId, roomId, memberId, externalUserId, direction, actor, contentDigest, attachmentKinds, before, after,
                    detail, null, null, null, null);
        }
    }
}
