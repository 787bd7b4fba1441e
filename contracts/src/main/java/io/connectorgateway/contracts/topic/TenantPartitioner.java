package io.connectorgateway.contracts.topic;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * The partitioning rule of every input topic (SPEC, "Partitioning"): a record goes to partition
 * {@code murmur2(UTF-8 bytes of the tenant id) mod partitions}, the partition Kafka's default
 * partitioner gives a record keyed by the tenant id alone. Keys stay as the topic contract says
 * ({@code tenant:connector:member:externalUser}, {@code tenant:connector}, ...); every input key
 * starts with the tenant id followed by {@code ':'} (or is the tenant id), so the tenant is the
 * key up to its first {@code ':'}.
 *
 * <p>Use it as a producer's {@code partitioner.class} ({@link #CONFIG} puts it there): every
 * record sent without an explicit partition then lands where its tenant's policy task reads.
 * {@link #partition(String, int)} is the same rule for code that picks partitions itself (and for
 * a platform team in another language: murmur2 as in Kafka's Java client, sign bit cleared, mod).
 */
public final class TenantPartitioner implements Partitioner {
    /** The producer setting that makes a producer follow this rule. */
    public static final Map<String, Object> CONFIG = Map.of("partitioner.class", TenantPartitioner.class.getName());

    /** The partition of {@code tenant} on a topic of {@code partitions} partitions. */
    public static int partition(String tenant, int partitions) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("a tenant id is required to choose a partition");
        }
        return partitionOfTenantBytes(tenant.getBytes(StandardCharsets.UTF_8), 0, tenantEnd(tenant), partitions);
    }

    /** The partition of a record keyed {@code key} (a tenant id or a composite key starting with one). */
    public static int partitionOfKey(String key, int partitions) {
        if (key == null) {
            throw new IllegalArgumentException("input records need a key that starts with the tenant id");
        }
        return partitionOfKeyBytes(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The tenant id a key starts with: everything before its first {@code ':'}. */
    public static String tenantOf(String key) {
        return key.substring(0, tenantEnd(key));
    }

    private static int tenantEnd(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key.length() : colon;
    }

    static int partitionOfKeyBytes(byte[] key, int partitions) {
        int end = 0;
        while (end < key.length && key[end] != ':') {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("input record key '" + new String(key, StandardCharsets.UTF_8)
                    + "' does not start with a tenant id");
        }
        return partitionOfTenantBytes(key, 0, end, partitions);
    }

    private static int partitionOfTenantBytes(byte[] bytes, int from, int to, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, got " + partitions);
        }
        byte[] tenant = from == 0 && to == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, from, to);
        return Utils.toPositive(Utils.murmur2(tenant)) % partitions;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            throw new IllegalArgumentException("a record for " + topic
                    + " has no key: input records are keyed by a key that starts with the tenant id");
        }
        return partitionOfKeyBytes(keyBytes, cluster.partitionCountForTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure: the rule is the contract
    }

    @Override
    public void close() {
        // stateless
    }
}
