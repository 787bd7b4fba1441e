package io.connectorgateway.gateway.view;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.audit.AuditIndex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The view application's topology: the six tenant-partitioned topics the admin API answers from
 * feed one processor that keeps two persistent key-value stores. All sources are co-partitioned
 * (the same partition count, every record on its tenant's partition), so Kafka Streams makes one
 * task per partition, and the task of partition p holds every tenant of p and no other.
 *
 * <ul>
 *   <li>{@value #CONTROL}: settings, connected members, the member directory and open rooms
 *       ({@link ControlKeys}), from {@code connector.settings}, {@code connector.members},
 *       {@code connector.directory.events}, {@code connector.rooms};</li>
 *   <li>{@value #AUDIT}: the audit search index ({@link AuditIndex}), from {@code connector.audit}
 *       and {@code connector.history}.</li>
 * </ul>
 *
 * Each store also records, per source partition, the offset after the last record applied
 * ({@link ControlKeys#applied}): read-your-writes waits for it, the audit tail starts at it. Every
 * write is idempotent (puts and deletes by key in log order, audit records de-duplicated by id),
 * so re-processing records after a crash (at-least-once) converges to the same state.
 */
public final class ViewTopology {
    public static final String CONTROL = "gateway-control";
    public static final String AUDIT = "gateway-audit";
    /**
     * The content keys of the partition's messages, restored from {@code connector.content.keys}
     * itself (a read-only store: no changelog of its own, so a deleted key has no second copy on the
     * broker); an unsend's tombstone deletes the key here as soon as it is read.
     */
    public static final String CONTENT_KEYS = "gateway-content-keys";
    private static final Logger LOG = LoggerFactory.getLogger(ViewTopology.class);

    private ViewTopology() {
    }

    /**
     * @param applied told after every record, so waiting readers can look again
     */
    public static Topology build(Topics topics, Runnable applied) {
        Topology t = new Topology();
        String[] control = {topics.settings.name(), topics.members.name(), topics.directoryEvents.name(), topics.rooms.name(),
                topics.channels.name()};
        String[] audit = {topics.audit.name(), topics.history.name()};
        String[] sources = new String[control.length + audit.length];
        for (int i = 0; i < sources.length; i++) {
            String topic = i < control.length ? control[i] : audit[i - control.length];
            sources[i] = "source-" + topic;
            t.addSource(sources[i], Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topic);
        }
        t.addProcessor("view", () -> new ViewProcessor(topics, applied), sources);
        t.addReadOnlyStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTENT_KEYS), Serdes.String(),
                        Serdes.ByteArray()).withCachingDisabled().withLoggingDisabled(), "source-" + topics.contentKeys.name(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.contentKeys.name(),
                "content-keys", () -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> keys;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        keys = context.getStateStore(CONTENT_KEYS);
                    }

                    @Override
                    public void process(Record<String, byte[]> record) {
                        if (record.key() == null) {
                            return;
                        }
                        if (record.value() == null) {
                            keys.delete(record.key()); // an unsend (or a roll marker, which deletes nothing)
                        } else {
                            keys.put(record.key(), record.value());
                        }
                    }
                });
        // The view processor shares the task (same partition number), so searches read both stores together.
        t.connectProcessorAndStateStores("view", CONTENT_KEYS);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTROL), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled(), "view");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AUDIT), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled().withLoggingEnabled(historyCompaction(topics)), "view");
        return t;
    }

    /**
     * The audit store's changelog holds the history entries too: it is compacted within the same
     * bound as {@code connector.history}, so an unsent message's content leaves it as soon as it
     * leaves that topic (SPEC: unreadable on every topic and store within a documented bound).
     */
    static Map<String, String> historyCompaction(Topics topics) {
        Map<String, String> c = new HashMap<>(topics.history.configs());
        c.remove("cleanup.policy"); // a changelog is compacted anyway
        return c;
    }

    /** The next offset to apply from {@code topic}-{@code partition} as a store records it, or 0. */
    static long appliedOffset(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    private static final class ViewProcessor implements Processor<byte[], byte[], Void, Void> {
        private final Topics topics;
        private final Runnable applied;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> control;
        private KeyValueStore<String, byte[]> audit;
        private AuditIndex.Kv auditIndex;

        ViewProcessor(Topics topics, Runnable applied) {
            this.topics = topics;
            this.applied = applied;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.control = context.getStateStore(CONTROL);
            this.audit = context.getStateStore(AUDIT);
            this.auditIndex = AuditIndex.of(audit);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata where = context.recordMetadata().orElseThrow();
            String topic = where.topic();
            boolean toAudit = topic.equals(topics.audit.name()) || topic.equals(topics.history.name());
            if (record.value() != null) {
                try {
                    apply(topic, where.partition(), where.offset(), record.value());
                } catch (RuntimeException e) {
                    // The writers validate; a record that does not read is logged and skipped, never applied half-way.
                    LOG.warn("skipping unreadable record {}-{}@{}: {}", topic, where.partition(), where.offset(), e.getMessage());
                }
            }
            (toAudit ? audit : control).put(ControlKeys.applied(topic, where.partition()),
                    ByteBuffer.allocate(8).putLong(where.offset() + 1).array());
            applied.run();
        }

        private void apply(String topic, int partition, long offset, byte[] value) {
            if (topic.equals(topics.settings.name())) {
                TenantSettings s = topics.settings.valueSerde().deserializer().deserialize(topic, value);
                if (owned(s.tenant(), topic, partition, offset)) {
                    String key = ControlKeys.settings(s.tenant(), s.connector());
                    byte[] previous = control.get(key);
                    long before = previous == null ? 0
                            : topics.settings.valueSerde().deserializer().deserialize(topic, previous).version();
                    if (before != 0 && s.version() != before + 1 && s.version() > before) {
                        LOG.warn("settings {} went from version {} to {}", key, before, s.version());
                    }
                    control.put(key, value);
                }
            } else if (topic.equals(topics.members.name())) {
                ConnectedMember m = topics.members.valueSerde().deserializer().deserialize(topic, value);
                if (owned(m.tenant(), topic, partition, offset)) {
                    control.put(ControlKeys.member(m.tenant(), m.connector(), m.memberId()), value);
                    if (m.urlToken() != null) {
                        control.put(ControlKeys.friendToken(m.tenant(), m.connector(), m.urlToken()),
                                m.memberId().getBytes(StandardCharsets.UTF_8));
                    }
                }
            } else if (topic.equals(topics.directoryEvents.name())) {
                DirectoryEvent d = topics.directoryEvents.valueSerde().deserializer().deserialize(topic, value);
                if (owned(d.tenant(), topic, partition, offset)) {
                    control.put(ControlKeys.directory(d.tenant(), d.memberId()), d.type().name().getBytes(StandardCharsets.UTF_8));
                }
            } else if (topic.equals(topics.rooms.name())) {
                RoomCommand c = topics.rooms.valueSerde().deserializer().deserialize(topic, value);
                if (owned(c.tenant(), topic, partition, offset)) {
                    String key = ControlKeys.room(c.tenant(), c.connector(), c.roomId());
                    if (c.action() == RoomCommand.Action.OPENED) {
                        control.put(key, value);
                    } else {
                        control.delete(key);
                    }
                }
            } else if (topic.equals(topics.channels.name())) {
                ChannelBinding b = topics.channels.valueSerde().deserializer().deserialize(topic, value);
                if (owned(b.tenant(), topic, partition, offset)) {
                    String key = ControlKeys.channel(b.tenant(), b.connector(), b.memberId());
                    byte[] previous = control.get(key);
                    java.util.Set<String> now = new java.util.HashSet<>(b.channels().map(ChannelBinding.Channel::channelId).toList());
                    if (previous != null) {
                        topics.channels.valueSerde().deserializer().deserialize(topic, previous).channels()
                                .map(ChannelBinding.Channel::channelId).filter(id -> !now.contains(id))
                                .forEach(id -> control.delete(ControlKeys.channelIndex(b.tenant(), b.connector(), id)));
                    }
                    now.forEach(id -> control.put(ControlKeys.channelIndex(b.tenant(), b.connector(), id),
                            b.memberId().getBytes(StandardCharsets.UTF_8)));
                    control.put(key, value);
                }
            } else if (topic.equals(topics.audit.name())) {
                AuditRecord a = topics.audit.valueSerde().deserializer().deserialize(topic, value);
                if (owned(a.tenant(), topic, partition, offset)) {
                    AuditIndex.add(auditIndex, a, offset);
                }
            } else if (topic.equals(topics.history.name())) {
                HistoryEntry h = topics.history.valueSerde().deserializer().deserialize(topic, value);
                if (owned(h.tenant(), topic, partition, offset)) {
                    AuditIndex.add(auditIndex, h);
                }
            }
        }

        /**
         * Whether the record is on its tenant's partition. One that is not would put its tenant into
         * a task that does not own it (and would never be found: requests are routed by tenant), so
         * it is logged and left out; the policy stream dead-letters such inputs.
         */
        private boolean owned(String tenant, String topic, int partition, long offset) {
            int expected = TenantPartitioner.partition(tenant, topics.partitions());
            if (expected != partition) {
                LOG.warn("{}-{}@{} is about tenant {}, whose partition is {}: not in this view", topic, partition, offset,
                        tenant, expected);
                return false;
            }
            return true;
        }
    }
}
