package io.connectorgateway.contracts.topic;

import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.json.JsonSerde;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue: the public contract of SPEC "Inputs and outputs", as code.
 *
 * <p>Every service takes its topics from one {@code Topics} value. A prefix lets tests (and
 * several environments on one cluster) keep their topics apart; the partition count and
 * replication factor are deployment choices.
 */
public final class Topics {
    public static final int DEFAULT_PARTITIONS = 8;
    static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final String prefix;
    private final int partitions;
    private final short replicationFactor;

    public final Topic<String, ConnectorEvent> lineEvents;
    public final Topic<String, ConnectorEvent> worksEvents;
    public final Topic<String, DirectoryEvent> directoryEvents;
    public final Topic<String, TenantSettings> settings;
    public final Topic<String, ConnectedMember> members;
    /** The channel registry: LINE channels and WORKS bots per member, secrets sealed ({@link ChannelBinding}). */
    public final Topic<String, ChannelBinding> channels;
    public final Topic<String, Delivery> deliveries;
    public final Topic<String, RoomCommand> rooms;
    public final Topic<String, GreetingCommand> greetings;
    public final Topic<String, AuditRecord> audit;
    /** Where services write audit records; one exactly-once stage chains them into {@link #audit}. */
    public final Topic<String, AuditRecord> auditIntake;
    /** Signed checkpoints of the audit chains (key {@code tenant:chain}, latest kept): how far each chain reached. */
    public final Topic<String, AuditCheckpoint> auditCheckpoints;
    public final Topic<String, HistoryEntry> history;
    /** One data key per message (key {@code tenant:connector:eventId}); an unsend tombstones it. */
    public final Topic<String, ContentKey> contentKeys;
    public final Topic<byte[], byte[]> dlq;

    /**
     * The default bound after which a deleted content key is gone from {@code connector.content.keys}
     * (its segment rolled and compacted): 10 minutes.
     */
    public static final long DEFAULT_CONTENT_KEY_COMPACTION_MS = Duration.ofMinutes(10).toMillis();

    private final long contentKeyCompactionMs;

    public Topics(String prefix, int partitions, short replicationFactor) {
        this(prefix, partitions, replicationFactor, DEFAULT_CONTENT_KEY_COMPACTION_MS);
    }

    /**
     * @param contentKeyCompactionMs {@code segment.ms} and {@code max.compaction.lag.ms} of
     *                               {@code connector.content.keys}: how soon a deleted key's record
     *                               becomes eligible for removal
     */
    public Topics(String prefix, int partitions, short replicationFactor, long contentKeyCompactionMs) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null (use \"\")");
        }
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9._\\-]+")) {
            throw new IllegalArgumentException("topic prefix may contain only letters, digits, '.', '_' and '-'");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1");
        }
        this.prefix = prefix;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        if (contentKeyCompactionMs < 1) {
            throw new IllegalArgumentException("the content key compaction bound must be at least 1 ms");
        }
        this.contentKeyCompactionMs = contentKeyCompactionMs;
        Serde<String> key = Serdes.String();
        lineEvents = topic("connector.line.events", key, JsonSerde.lenient(ConnectorEvent.class), delete(7));
        worksEvents = topic("connector.works.events", key, JsonSerde.lenient(ConnectorEvent.class), delete(7));
        directoryEvents = topic("connector.directory.events", key, JsonSerde.lenient(DirectoryEvent.class), delete(7));
        settings = topic("connector.settings", key, JsonSerde.strict(TenantSettings.class), compact());
        members = topic("connector.members", key, JsonSerde.strict(ConnectedMember.class), compact());
        channels = topic("connector.channels", key, JsonSerde.strict(ChannelBinding.class), compact());
        deliveries = topic("connector.deliveries", key, JsonSerde.lenient(Delivery.class), delete(7));
        rooms = topic("connector.rooms", key, JsonSerde.lenient(RoomCommand.class), delete(30));
        greetings = topic("connector.greetings", key, JsonSerde.lenient(GreetingCommand.class), delete(7));
        audit = topic("connector.audit", key, JsonSerde.lenient(AuditRecord.class), delete(400));
        auditIntake = topic("connector.audit.intake", key, JsonSerde.lenient(AuditRecord.class), delete(7));
        auditCheckpoints = topic("connector.audit.checkpoints", key, JsonSerde.lenient(AuditCheckpoint.class),
                Map.of("cleanup.policy", "compact"));
        history = topic("connector.history", key, JsonSerde.lenient(HistoryEntry.class), history());
        contentKeys = topic("connector.content.keys", key, JsonSerde.strict(ContentKey.class),
                contentKeyCompaction(contentKeyCompactionMs));
        dlq = topic("connector.dlq", Serdes.ByteArray(), Serdes.ByteArray(), delete(30));
    }

    /** The production names, {@value #DEFAULT_PARTITIONS} partitions, replication factor 3. */
    public static Topics production() {
        return new Topics("", DEFAULT_PARTITIONS, (short) 3);
    }

    /**
     * From the environment: {@code CONNECTOR_TOPIC_PREFIX} (default empty),
     * {@code CONNECTOR_TOPIC_PARTITIONS} (default 8), {@code CONNECTOR_TOPIC_REPLICATION} (default 1).
     */
    public static Topics fromEnvironment(Map<String, String> env) {
        String prefix = env.getOrDefault("CONNECTOR_TOPIC_PREFIX", "");
        int partitions = parse(env, "CONNECTOR_TOPIC_PARTITIONS", DEFAULT_PARTITIONS);
        int replication = parse(env, "CONNECTOR_TOPIC_REPLICATION", 1);
        String bound = env.get("CONNECTOR_CONTENT_KEY_COMPACTION_MS");
        long keyBound = bound == null || bound.isBlank() ? DEFAULT_CONTENT_KEY_COMPACTION_MS : parse(env,
                "CONNECTOR_CONTENT_KEY_COMPACTION_MS", 0);
        return new Topics(prefix, partitions, (short) replication, keyBound);
    }

    private static int parse(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    public String prefix() {
        return prefix;
    }

    public int partitions() {
        return partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** See {@link #Topics(String, int, short, long)}. */
    public long contentKeyCompactionMs() {
        return contentKeyCompactionMs;
    }

    /** Every topic of the catalogue, in the order of the SPEC's table. */
    public List<Topic<?, ?>> all() {
        return List.of(lineEvents, worksEvents, directoryEvents, settings, members, channels, deliveries, rooms, greetings,
                audit, auditIntake, auditCheckpoints, history, contentKeys, dlq);
    }

    /** The two event topics, whose records have the same shape. */
    public List<Topic<String, ConnectorEvent>> eventTopics() {
        return List.of(lineEvents, worksEvents);
    }

    private <K, V> Topic<K, V> topic(String name, Serde<K> k, Serde<V> v, Map<String, String> configs) {
        Map<String, String> withIsr = new HashMap<>(configs);
        withIsr.put("min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
        return new Topic<>(prefix + name, k, v, partitions, withIsr);
    }

    private static Map<String, String> delete(int days) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(days * DAY_MS));
    }

    /**
     * Settings and connected members keep every version for at least 7 days before compaction may
     * fold them: a replay of the last week's events (SPEC R11) then sees the versions in force
     * when they happened, not only the latest.
     */
    private static Map<String, String> compact() {
        return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", Long.toString(7 * DAY_MS));
    }

    /**
     * Content keys: a deleted (tombstoned) key must leave the log within a short bound. The active
     * segment is never cleaned, so segments roll after {@code bound} ({@code segment.ms}) and a
     * segment holding a superseded key becomes eligible at once ({@code max.compaction.lag.ms},
     * whatever the dirty ratio); the policy stream appends to every partition at least every
     * {@code bound / 2}, so a quiet partition's segment rolls too. Tombstones stay 7 days
     * ({@code delete.retention.ms}): a key reader that was away less than that sees the deletion.
     */
    private static Map<String, String> contentKeyCompaction(long bound) {
        return Map.of("cleanup.policy", "compact", "segment.ms", Long.toString(bound), "max.compaction.lag.ms",
                Long.toString(bound), "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms",
                Long.toString(7 * DAY_MS));
    }

    /**
     * History is compacted so an unsend (same key, content removed) replaces the message; the
     * short segment time lets compaction reach the old value within a day rather than a week.
     */
    private static Map<String, String> history() {
        return Map.of("cleanup.policy", "compact", "segment.ms", Long.toString(DAY_MS), "delete.retention.ms",
                Long.toString(DAY_MS), "max.compaction.lag.ms", Long.toString(DAY_MS));
    }
}
