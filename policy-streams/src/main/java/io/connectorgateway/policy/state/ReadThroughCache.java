package io.connectorgateway.policy.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The decoded values of a small, hot key-value store (settings, members, directory rows), kept
 * beside it so that a lookup on every event does not read RocksDB and parse JSON again. The
 * processor is the only writer of these stores and writes through this class, so the cache never
 * disagrees with the store; {@link #clear} on every (re-)initialisation of the processor covers a
 * store that Kafka Streams wiped and restored (a corrupted task under exactly-once is revived with
 * a fresh init). Bounded, least recently used first out.
 */
public final class ReadThroughCache<V> {
    /** A value recorded as absent, so that "no row" is cached too. */
    private static final Object ABSENT = new Object();

    private final int capacity;
    private final Map<String, Object> entries;
    private KeyValueStore<String, V> store;

    public ReadThroughCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > ReadThroughCache.this.capacity;
            }
        };
    }

    /** Binds the cache to the task's store and forgets everything it held. */
    public void init(KeyValueStore<String, V> taskStore) {
        this.store = taskStore;
        entries.clear();
    }

    @SuppressWarnings("unchecked")
    public V get(String key) {
        Object cached = entries.get(key);
        if (cached == null) {
            V read = store.get(key);
            entries.put(key, read == null ? ABSENT : read);
            return read;
        }
        return cached == ABSENT ? null : (V) cached;
    }

    public void put(String key, V value) {
        store.put(key, value);
        entries.put(key, value == null ? ABSENT : value);
    }
}
