package io.connectorgateway.contracts.audit;

import java.time.Duration;
import java.util.HashMap;
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
 * Reads {@code connector.audit} from the beginning ({@code read_committed}) and reports the first
 * broken link of every chain. A chain is a tenant's records written by one writer (the policy
 * application that owns the tenant's partition, named in {@link AuditRecord#chain()}; records from
 * before chains were named form the unnamed chain). A tenant's records all live in one partition
 * (the key is the tenant), so partition order is chain order.
 */
public final class AuditChainVerifier {

    /** The first break found in one chain of one tenant ({@code chain} null: the unnamed chain). */
    public record Break(String tenant, String chain, int partition, long offset, String auditId, String problem) {
        /** "tenant" or "tenant (chain)". */
        public String label() {
            return AuditChainVerifier.label(tenant, chain);
        }
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
     */
    public record Report(long records, int tenants, Map<String, Break> firstBreakByTenant, long unreadable) {
        public boolean intact() {
            return firstBreakByTenant.isEmpty() && unreadable == 0;
        }
    }

    private AuditChainVerifier() {
    }

    /**
     * Verifies every record currently in {@code topic}.
     *
     * @param consumerConfig config for a read_committed consumer (no group needed: partitions are assigned)
     * @param progress       called with the number of records read so far, every 10,000 records
     */
    public static Report verify(Map<String, Object> consumerConfig, String topic, Deserializer<AuditRecord> values,
                                Consumer<Long> progress) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        config.remove("group.id");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), (Deserializer<byte[]>) (t, d) -> d)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<String, String> lastHash = new HashMap<>();
            Map<String, Break> breaks = new TreeMap<>();
            long records = 0;
            long unreadable = 0;
            Set<TopicPartition> remaining = partitions.stream().filter(tp -> end.get(tp) > 0).collect(Collectors.toSet());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    if (progress != null && records % 10_000 == 0) {
                        progress.accept(records);
                    }
                    AuditRecord a;
                    try {
                        a = values.deserialize(topic, r.value());
                    } catch (RuntimeException e) {
                        unreadable++;
                        breaks.putIfAbsent(r.key() == null ? "?" : r.key(), new Break(r.key(), null, r.partition(), r.offset(),
                                "?", "unreadable record: " + e.getMessage()));
                        continue;
                    }
                    String chain = label(a.tenant(), a.chain());
                    if (!breaks.containsKey(chain)) {
                        String problem = AuditChain.check(lastHash.get(chain), a);
                        if (problem != null) {
                            breaks.put(chain, new Break(a.tenant(), a.chain(), r.partition(), r.offset(), a.auditId(), problem));
                        }
                    }
                    lastHash.put(chain, a.hash());
                }
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            }
            return new Report(records, lastHash.size(), breaks, unreadable);
        }
    }
}
