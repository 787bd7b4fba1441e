package io.connectorgateway.contracts.audit;

import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Verifies the audit chains: reads {@code connector.audit.checkpoints}, then {@code connector.audit}
 * from the beginning ({@code read_committed}, in that order: a checkpoint is committed with the
 * records it covers, so every checkpoint read first covers records that are on the audit topic by
 * the time it is read), and reports the first problem of every chain. A chain is a tenant's records
 * written by one writer (the policy application that owns the tenant's partition, named in
 * {@link AuditRecord#chain()}; records from before chains were named form the unnamed chain). A
 * tenant's records all live in one partition (the key is the tenant), so partition order is chain
 * order.
 *
 * <p>Detected: a rewritten record (its HMAC fails), an inserted, deleted or reordered record (the
 * next {@code prevHash} fails, or a checkpoint's head is not at its position), a record signed with
 * a key that is not configured, an unkeyed record after keyed ones, a forged or altered checkpoint,
 * and a cut-off tail (a checkpoint's head is not on the topic). Reported but not a break: unkeyed
 * records of earlier releases, and records written after the chain's last checkpoint (their
 * number, and the age of the oldest: the writer checkpoints within seconds, so old uncovered records
 * mean checkpoints were removed or the writer has not run since).
 */
public final class AuditChainVerifier {

    /** The first break found in one chain of one tenant ({@code chain} null: the unnamed chain). */
    public record Break(String tenant, String chain, int partition, long offset, String auditId, String problem) {
        /** "tenant" or "tenant (chain)". */
        public String label() {
            return AuditChainVerifier.label(tenant, chain);
        }
    }

    /**
     * Records of a chain after its last checkpoint.
     *
     * @param records          how many
     * @param oldestTimestamp  record timestamp (epoch ms) of the oldest of them
     * @param lastCheckpointAt when the chain's last checkpoint was written (epoch ms), or -1: none
     */
    public record Uncovered(long records, long oldestTimestamp, long lastCheckpointAt) {
    }

    /** How a chain is named in a report: the tenant, with the writer in brackets when it has one. */
    public static String label(String tenant, String chain) {
        return chain == null ? tenant : tenant + " (" + chain + ")";
    }

    /**
     * What a verification found.
     *
     * @param tenants            the number of chains verified (a tenant has one per writer)
     * @param firstBreakByTenant the first break of each broken chain, by {@link Break#label()}
     * @param checkpoints        checkpoints read and checked
     * @param unkeyedByChain     chains holding unkeyed records (plain SHA-256, earlier releases), with their number
     * @param uncoveredByChain   keyed chains with records after their last checkpoint
     */
    public record Report(long records, int tenants, Map<String, Break> firstBreakByTenant, long unreadable,
                         long checkpoints, Map<String, Long> unkeyedByChain, Map<String, Uncovered> uncoveredByChain) {
        public boolean intact() {
            return firstBreakByTenant.isEmpty() && unreadable == 0;
        }
    }

    private AuditChainVerifier() {
    }

    /**
     * Verifies every checkpoint and every record currently on the audit topics of {@code topics}.
     *
     * @param consumerConfig config for a read_committed consumer (no group needed: partitions are assigned)
     * @param keys           the audit chain keys (every id that signed records still verified)
     * @param progress       called with the number of records read so far, every 10,000 records
     */
    public static Report verify(Map<String, Object> consumerConfig, Topics topics, AuditKeys keys, Consumer<Long> progress) {
        Walk walk = new Walk(keys);
        Deserializer<AuditCheckpoint> cps = topics.auditCheckpoints.valueSerde().deserializer();
        read(consumerConfig, topics.auditCheckpoints, r -> {
            if (r.value() == null) {
                return; // a tombstone: what it removed shows as records not covered by a checkpoint
            }
            AuditCheckpoint cp;
            try {
                cp = cps.deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                walk.unreadable(r.key(), r.partition(), r.offset(), "unreadable checkpoint: " + e.getMessage());
                return;
            }
            walk.checkpoint(cp, r.partition(), r.offset());
        }, null);
        Deserializer<AuditRecord> values = topics.audit.valueSerde().deserializer();
        read(consumerConfig, topics.audit, r -> {
            AuditRecord a;
            try {
                a = values.deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
                walk.unreadable(r.key(), r.partition(), r.offset(), "unreadable record: " + e.getMessage());
                return;
            }
            walk.record(a, r.partition(), r.offset(), r.timestamp());
        }, progress);
        return walk.report();
    }

    /** Verifies checkpoints and records already in memory (records in chain order; their own timestamps count as record times). */
    public static Report verify(AuditKeys keys, List<AuditCheckpoint> checkpoints, List<AuditRecord> records) {
        Walk walk = new Walk(keys);
        checkpoints.forEach(cp -> walk.checkpoint(cp, 0, -1));
        long offset = 0;
        for (AuditRecord r : records) {
            walk.record(r, 0, offset++, r.timestamp());
        }
        return walk.report();
    }

    /**
     * The verification itself, fed record by record: first every checkpoint, then every audit
     * record in topic order. {@link #verify} feeds it from Kafka; tests can feed it directly.
     */
    public static final class Walk {
        private final AuditKeys keys;
        private final Map<String, Break> breaks = new TreeMap<>();
        private final Map<String, Chain> chains = new LinkedHashMap<>();
        private long records;
        private long unreadable;
        private long checkpoints;

        public Walk(AuditKeys keys) {
            this.keys = keys;
        }

        /** A checkpoint (all of them come before the first record). */
        public void checkpoint(AuditCheckpoint cp, int partition, long offset) {
            checkpoints++;
            String label = label(cp.tenant(), cp.chain());
            String problem = cp.check(keys);
            if (problem != null) {
                breaks.putIfAbsent(label, new Break(cp.tenant(), cp.chain(), partition, offset, "checkpoint", problem));
                return;
            }
            chains.computeIfAbsent(label, l -> new Chain(cp.tenant(), cp.chain())).expect(cp);
        }

        /** The next audit record of its partition. */
        public void record(AuditRecord a, int partition, long offset, long timestamp) {
            records++;
            String label = label(a.tenant(), a.chain());
            Chain c = chains.computeIfAbsent(label, l -> new Chain(a.tenant(), a.chain()));
            String problem = c.accept(a, timestamp, keys);
            if (problem != null) {
                breaks.putIfAbsent(label, new Break(a.tenant(), a.chain(), partition, offset, a.auditId(), problem));
            }
        }

        public void unreadable(String key, int partition, long offset, String problem) {
            unreadable++;
            breaks.putIfAbsent(key == null ? "?" : key, new Break(key, null, partition, offset, "?", problem));
        }

        /** What was found, once everything was fed. */
        public Report report() {
            Map<String, Break> found = new TreeMap<>(breaks);
            Map<String, Long> unkeyed = new TreeMap<>();
            Map<String, Uncovered> uncovered = new TreeMap<>();
            int verified = 0;
            for (var e : chains.entrySet()) {
                Chain c = e.getValue();
                if (c.records > 0) {
                    verified++;
                }
                String problem = c.finish();
                if (problem != null) {
                    found.putIfAbsent(e.getKey(), new Break(c.tenant, c.chain, -1, -1, "checkpoint", problem));
                }
                if (c.unkeyed > 0) {
                    unkeyed.put(e.getKey(), c.unkeyed);
                }
                if (c.uncovered > 0) {
                    uncovered.put(e.getKey(), new Uncovered(c.uncovered, c.oldestUncovered, c.lastCheckpointAt));
                }
            }
            return new Report(records, verified, found, unreadable, checkpoints, unkeyed, uncovered);
        }
    }

    /** Reads a whole topic (read_committed, up to the end offsets taken when it starts); returns the number of records. */
    private static long read(Map<String, Object> consumerConfig, Topic<String, ?> topic,
                             Consumer<ConsumerRecord<String, byte[]>> each, Consumer<Long> progress) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        config.remove("group.id");
        long n = 0;
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), (Deserializer<byte[]>) (t, d) -> d)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Set<TopicPartition> remaining = partitions.stream().filter(tp -> end.get(tp) > 0).collect(Collectors.toSet());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after the verification started
                    }
                    n++;
                    if (progress != null && n % 10_000 == 0) {
                        progress.accept(n);
                    }
                    each.accept(r);
                }
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            }
        }
        return n;
    }

    /** One chain being walked: its last hash, and the checkpoints it must meet. */
    private static final class Chain {
        final String tenant;
        final String chain;
        String lastHash;
        long records;
        long unkeyed;
        boolean keyed;
        /** Checkpoints by base, then by position after the base. */
        final Map<String, TreeMap<Long, AuditCheckpoint>> expected = new HashMap<>();
        /** Records counted since each base met so far. */
        final Map<String, Long> counted = new HashMap<>();
        long uncovered;
        long oldestUncovered;
        long lastCheckpointAt = -1;

        Chain(String tenant, String chain) {
            this.tenant = tenant;
            this.chain = chain;
        }

        void expect(AuditCheckpoint cp) {
            expected.computeIfAbsent(cp.base(), b -> new TreeMap<>()).put(cp.records(), cp);
            lastCheckpointAt = Math.max(lastCheckpointAt, cp.timestamp());
        }

        /** @return the first problem this record shows, or null */
        String accept(AuditRecord a, long timestamp, AuditKeys keys) {
            if (records == 0 && expected.containsKey(AuditChain.GENESIS)) {
                counted.put(AuditChain.GENESIS, 0L);
            }
            records++;
            String problem = AuditChain.check(lastHash, a, keys);
            if (problem == null && a.keyId() == null && keyed) {
                problem = "record " + a.auditId() + " is unkeyed (plain SHA-256) but follows keyed records: "
                        + "written without the key (unkeyed records are accepted only before a chain's first keyed record)";
            }
            if (a.keyId() == null) {
                unkeyed++;
            } else {
                keyed = true;
                if (uncovered++ == 0) {
                    oldestUncovered = timestamp;
                }
            }
            for (Iterator<Map.Entry<String, Long>> it = counted.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> c = it.next();
                long position = c.getValue() + 1;
                c.setValue(position);
                TreeMap<Long, AuditCheckpoint> due = expected.get(c.getKey());
                AuditCheckpoint cp = due.remove(position);
                if (cp != null) {
                    if (!cp.head().equals(a.hash())) {
                        problem = problem != null ? problem : "record " + a.auditId() + " is record " + position
                                + " after " + AuditChain.abbreviate(cp.base()) + " but is not the head of the " + cp.describe()
                                + ": records were inserted, deleted or rewritten before it";
                    } else {
                        uncovered = 0;
                    }
                }
                if (due.isEmpty()) {
                    expected.remove(c.getKey());
                    it.remove();
                }
            }
            if (a.hash() != null && expected.containsKey(a.hash()) && !counted.containsKey(a.hash())) {
                counted.put(a.hash(), 0L);
            }
            lastHash = a.hash();
            return problem;
        }

        /** After the last record: checkpoints never met mean records are missing from the end. */
        String finish() {
            for (var e : expected.entrySet()) {
                AuditCheckpoint cp = e.getValue().firstEntry().getValue();
                Long seen = counted.get(e.getKey());
                if (records == 0) {
                    return "the " + cp.describe() + " covers records of this chain, but connector.audit holds none of them: "
                            + "the chain was removed";
                }
                if (seen == null) {
                    return "the " + cp.describe() + " counts from " + AuditChain.abbreviate(cp.base())
                            + ", which is not a record of this chain on the topic: records were removed or rewritten";
                }
                return "cut-off tail: the " + cp.describe() + " says the chain reaches record " + cp.records() + " after "
                        + AuditChain.abbreviate(cp.base()) + ", but the topic ends at record " + seen
                        + ": records were cut off the end of the chain (or deleted)";
            }
            return null;
        }
    }
}
