package io.connectorgateway.policy;

import io.connectorgateway.contracts.topic.TenantPartitioner;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Writes every output of the policy stream to its tenant's partition ({@link TenantPartitioner}),
 * whatever its key (a room id, an event id, a member key): a tenant's rooms, history, audit trail
 * and decisions are then on the same partition number as its inputs, so a reader that owns a
 * partition (an admin view, the greeting bot) holds whole tenants and nothing else.
 */
final class TenantStreamPartitioner<V> implements StreamPartitioner<String, V> {
    private final Function<V, String> tenantOf;
    private final Function<V, Integer> fixed;

    TenantStreamPartitioner(Function<V, String> tenantOf) {
        this(tenantOf, v -> null);
    }

    /** @param fixed the partition of a record that names no tenant (a roll marker), else null */
    TenantStreamPartitioner(Function<V, String> tenantOf, Function<V, Integer> fixed) {
        this.tenantOf = tenantOf;
        this.fixed = fixed;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        Integer p = fixed.apply(value);
        return Optional.of(Set.of(p != null ? p : TenantPartitioner.partition(tenantOf.apply(value), numPartitions)));
    }
}
