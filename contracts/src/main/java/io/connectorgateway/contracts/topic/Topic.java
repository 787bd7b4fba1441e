package io.connectorgateway.contracts.topic;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name and its serdes, travelling together (declared once, in {@link Topics}), plus
 * what the bootstrapper needs to create it.
 *
 * @param name        full topic name (with the catalogue's prefix)
 * @param keySerde    key serde
 * @param valueSerde  value serde
 * @param partitions  partition count
 * @param configs     topic configs (cleanup.policy, retention.ms, ...)
 * @param <K>         key type
 * @param <V>         value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> configs) {
    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name is required");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition");
        }
        configs = Map.copyOf(configs);
    }

    public String cleanupPolicy() {
        return configs.getOrDefault("cleanup.policy", "delete");
    }

    @Override
    public String toString() {
        return name;
    }
}
