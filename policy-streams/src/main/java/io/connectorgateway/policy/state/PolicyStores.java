package io.connectorgateway.policy.state;

import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The processor's state stores: persistent (RocksDB) and changelogged, so a moved or restarted
 * task rebuilds exactly this state. Keys are plain UTF-8 strings, so RocksDB's byte order is the
 * string order and {@code prefixScan} over {@code tenant:connector:} visits only that tenant's rooms.
 */
public final class PolicyStores {
    public static final String SETTINGS = "policy-settings";
    public static final String MEMBERS = "policy-members";
    public static final String DIRECTORY = "policy-directory";
    public static final String ROOMS = "policy-rooms";
    public static final String SEEN_EVENTS = "policy-seen-events";
    /** tenant -> the head of its audit chain ({@link ChainHead}: last hash, records counted, last checkpoint). */
    public static final String AUDIT_CHAIN_HEADS = "policy-audit-chain-heads";
    /**
     * {@code tenant:connector:eventId} -> the message's content key (the JSON of its record on
     * {@code connector.content.keys}), or {@link #UNSENT} once an unsend deleted it. Its changelog is a
     * second copy of the keys on the broker, so it is compacted with the key topic's bound.
     */
    public static final String CONTENT_KEYS = "policy-content-keys";
    /**
     * {@code tenant:connector:eventId} -> a sealed event that arrived before its key became readable
     * here ({@code arrivalWallMs|recordTimestamp|event JSON}, the content still sealed): judged when the
     * key arrives, refused and audited if it does not within {@code PolicyProcessor.KEY_WAIT}.
     */
    public static final String AWAITING_KEYS = "policy-awaiting-keys";
    /** The value of a content key an unsend deleted: no key material, only the fact. */
    public static final String UNSENT = "unsent";

    private PolicyStores() {
    }

    public static List<String> names() {
        return List.of(SETTINGS, MEMBERS, DIRECTORY, ROOMS, SEEN_EVENTS, AUDIT_CHAIN_HEADS, CONTENT_KEYS, AWAITING_KEYS);
    }

    public static List<StoreBuilder<?>> builders(Topics topics, Duration seenRetention) {
        StoreBuilder<KeyValueStore<String, TenantSettings>> settings = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SETTINGS), Serdes.String(), topics.settings.valueSerde());
        StoreBuilder<KeyValueStore<String, ConnectedMember>> members = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MEMBERS), Serdes.String(), topics.members.valueSerde());
        StoreBuilder<KeyValueStore<String, DirectoryEvent>> directory = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DIRECTORY), Serdes.String(), topics.directoryEvents.valueSerde());
        StoreBuilder<KeyValueStore<String, OpenRoom>> rooms = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ROOMS), Serdes.String(), CompactSerde.openRooms());
        // A window store expires old event ids by stream time, segment by segment: the de-duplication
        // memory is bounded and its expiry is as deterministic as the input.
        StoreBuilder<WindowStore<String, SeenEvent>> seen = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_EVENTS, seenRetention, Duration.ofMillis(1), false),
                Serdes.String(), CompactSerde.seenEvents());
        // Cached: the head of a busy tenant changes with every audit record, but only its value at the
        // commit matters. The cache folds those puts into one changelog record per tenant per commit,
        // flushed inside the same transaction as the records it chains, so exactly-once holds.
        StoreBuilder<KeyValueStore<String, String>> heads = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AUDIT_CHAIN_HEADS), Serdes.String(), Serdes.String()).withCachingEnabled();
        // The keys' changelog holds key material: a deleted key must leave it within the same bound as
        // it leaves connector.content.keys (the processor appends roll markers to it too).
        StoreBuilder<KeyValueStore<String, String>> keys = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CONTENT_KEYS), Serdes.String(), Serdes.String())
                .withLoggingEnabled(topics.contentKeys.configs()).withCachingDisabled();
        StoreBuilder<KeyValueStore<String, String>> awaiting = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AWAITING_KEYS), Serdes.String(), Serdes.String()).withCachingDisabled();
        return List.of(settings.withCachingDisabled(), members.withCachingDisabled(), directory.withCachingDisabled(),
                rooms.withCachingDisabled(), seen.withCachingDisabled(), heads, keys, awaiting);
    }
}
