package io.connectorgateway.greeting.channel;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.channel.Sealed;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LINE channels of this instance's tenants, followed live from {@code connector.channels}.
 *
 * <p>Greeting commands are on their tenant's partition of {@code connector.greetings}, and channel
 * bindings on their tenant's partition of {@code connector.channels} (same partitioner, same
 * partition count, checked at start). So the bot follows exactly the channel partitions whose
 * numbers it owns on the greetings topic ({@link #follow}, called from the consumer's rebalance
 * listener): each instance holds its own tenants' bindings only, never every tenant's (no global
 * table). A newly assigned partition is read from its beginning (compacted: one row per member);
 * {@link #ready} says when it has caught up with the end it had when assigned, and the consumer
 * keeps that greetings partition paused until then. After that every registration, rotation and
 * retirement is applied as it arrives, so it is in force for the next greeting within the poll
 * interval, with no restart.
 *
 * <p>Bindings are kept sealed, as on the topic; an access token is opened with
 * {@value ChannelSealer#ENV} only when a greeting needs it ({@link #resolve}) and never logged. The
 * opened secrets of a channel are kept in memory while its binding is unchanged (opening is an
 * envelope decryption and a Tink key parse, about a tenth of a greeting's cost in benchmark 5), and
 * dropped with the binding: when it is replaced, deleted, or its partition goes to another instance.
 */
public final class ChannelRegistry implements GreetingChannels, Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Topics topics;
    private final ChannelSealer sealer;
    private final Consumer<byte[], byte[]> consumer;
    private final int partitions;
    private final Deserializer<ChannelBinding> values;
    private final Deserializer<String> keys;
    private final String topic;

    private final Map<String, ChannelBinding> bindings = new ConcurrentHashMap<>();
    /** Secrets opened by {@link #resolve}, per binding key, valid while the channel's sealed value is the same. */
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> keysByPartition = new ConcurrentHashMap<>();
    private final Set<Integer> ready = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Set<Integer>> wanted = new AtomicReference<>(Set.of());
    private final Map<Integer, Long> catchUpTo = new HashMap<>();
    private volatile Set<Integer> following = Set.of();
    private volatile boolean stopped;
    private volatile String failure;

    /**
     * @param consumer   a consumer without a group (partitions are assigned by hand), read_committed
     * @param partitions the partition count of {@code connector.channels} (= that of {@code connector.greetings})
     */
    public ChannelRegistry(Topics topics, ChannelSealer sealer, Consumer<byte[], byte[]> consumer, int partitions) {
        this.topics = topics;
        this.sealer = sealer;
        this.consumer = consumer;
        this.partitions = partitions;
        this.topic = topics.channels.name();
        this.values = topics.channels.valueSerde().deserializer();
        this.keys = topics.channels.keySerde().deserializer();
    }

    /** The greetings partitions this instance owns now: the same channel partitions are followed. */
    public void follow(Collection<Integer> owned) {
        wanted.set(Set.copyOf(owned)); // taken up by the registry's thread within one poll
    }

    /** True once the channel partition {@code partition} has been read up to where it was when assigned. */
    public boolean ready(int partition) {
        return ready.contains(partition);
    }

    /** Bindings held (this instance's tenants only). */
    public int size() {
        return bindings.size();
    }

    public Set<Integer> followedPartitions() {
        return Set.copyOf(following);
    }

    public String failure() {
        return failure;
    }

    /**
     * The channel a greeting goes out through (SPEC R7, issue 13): the registered LINE channel the
     * user followed ({@link GreetingCommand#channelId()}), with its own access token, as long as it is
     * still the member's current channel; a command without a channel (earlier releases, platform
     * friend-adds) uses the member's current registered channel. Never another member's channel, never
     * a tenant-wide or default one: when the member's binding does not give a token, {@link Missing}.
     */
    @Override
    public Resolution resolve(GreetingCommand command) {
        int p = TenantPartitioner.partition(command.tenant(), partitions);
        if (!following.contains(p) && !wanted.get().contains(p)) {
            return new Missing("tenant " + command.tenant() + " is on partition " + p + ", which this greeting bot instance does "
                    + "not hold: the command is not on its tenant's partition of " + topics.greetings.name());
        }
        if (!ready.contains(p)) {
            return new NotReady(p);
        }
        String member = command.memberId();
        ChannelBinding b = bindings.get(Ids.memberKey(command.tenant(), Connector.LINE, member));
        if (b == null) {
            return new Missing("member " + member + " has no LINE channel registered (connector-admin channels register -t "
                    + command.tenant() + " -c LINE -m " + member + " ...)");
        }
        ChannelBinding.Channel channel;
        String followed = command.channelId();
        if (followed != null) {
            if (!b.isCurrent(followed)) {
                return new Missing(b.channel(followed).isPresent()
                        ? "the LINE user followed channel " + followed + ", which is no longer member " + member
                                + "'s current channel (replaced or retired): not sent through another channel"
                        : "the LINE user followed channel " + followed + ", which is not a channel of member " + member);
            }
            channel = b.current();
        } else {
            if (b.current() == null) {
                return new Missing("member " + member + " has no current LINE channel (retired)");
            }
            channel = b.current();
        }
        String key = b.key();
        Opened earlier = opened.get(key);
        ChannelSecrets secrets;
        if (earlier != null && earlier.channelId().equals(channel.channelId()) && earlier.sealed().equals(channel.sealed())) {
            secrets = earlier.secrets();
        } else {
            try {
                secrets = sealer.open(channel.sealed(),
                        ChannelBinding.associatedData(b.tenant(), b.connector(), b.memberId(), channel.channelId()));
            } catch (ChannelSealer.SealException e) {
                return new Missing("the access token of LINE channel " + channel.channelId() + " cannot be opened: " + e.getMessage());
            }
            if (bindings.get(key) == b) {
                // Only while the binding read is still the one held: a removal racing this call
                // must not leave its secrets behind.
                opened.put(key, new Opened(channel.channelId(), channel.sealed(), secrets));
                if (bindings.get(key) != b) {
                    opened.remove(key);
                }
            }
        }
        if (secrets.accessToken() == null) {
            return new Missing("LINE channel " + channel.channelId() + " of member " + member + " has no access token "
                    + "registered (connector-admin channels rotate -t " + command.tenant() + " -c LINE -m " + member
                    + " --access-token-env VAR)");
        }
        return new Found(channel.channelId(), secrets.accessToken());
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                try {
                    step();
                    failure = null;
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Kafka unreachable or a timeout: greetings of partitions not yet read wait; try again.
                    failure = e.toString();
                    LOG.warn("following {} failed ({}); retrying", topic, e.toString());
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // close()
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                LOG.debug("channel consumer close", e);
            }
        }
    }

    /** One turn of the loop: take up a new assignment, apply what arrived, note partitions read. */
    void step() {
        reassignIfWanted();
        if (following.isEmpty()) {
            sleepQuietly(POLL);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            apply(r);
        }
        markCaughtUp();
    }

    private void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private void reassignIfWanted() {
        Set<Integer> want = wanted.get();
        if (want.equals(following)) {
            return;
        }
        Set<Integer> added = new HashSet<>(want);
        added.removeAll(following);
        Set<Integer> removed = new HashSet<>(following);
        removed.removeAll(want);
        for (int p : removed) {
            ready.remove(p);
            catchUpTo.remove(p);
            Set<String> gone = keysByPartition.remove(p);
            if (gone != null) {
                gone.forEach(bindings::remove);
                gone.forEach(opened::remove);
            }
        }
        List<TopicPartition> fresh = added.stream().map(p -> new TopicPartition(topic, p)).toList();
        // The end first: if it cannot be read, nothing changed and the next turn tries again.
        Map<TopicPartition, Long> end = fresh.isEmpty() ? Map.of() : consumer.endOffsets(fresh, Duration.ofSeconds(30));
        consumer.assign(want.stream().map(p -> new TopicPartition(topic, p)).toList());
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
            end.forEach((tp, offset) -> catchUpTo.put(tp.partition(), offset));
        }
        following = Set.copyOf(want);
        markCaughtUp();
        LOG.info("following channel partitions {} of {} (added {}, dropped {})", want, topic, added, removed);
    }

    private void markCaughtUp() {
        for (var it = catchUpTo.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (consumer.position(new TopicPartition(topic, e.getKey())) >= e.getValue()) {
                ready.add(e.getKey());
                it.remove();
                LOG.info("channel partition {} read: {} binding(s) of this instance's tenants", e.getKey(),
                        keysByPartition.getOrDefault(e.getKey(), Set.of()).size());
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key;
        try {
            key = keys.deserialize(r.topic(), r.key());
        } catch (RuntimeException e) {
            LOG.warn("skipping {}@{} of {}: unreadable key", r.partition(), r.offset(), topic);
            return;
        }
        if (key == null) {
            return;
        }
        String tenant = TenantPartitioner.tenantOf(key);
        if (TenantPartitioner.partition(tenant, partitions) != r.partition()) {
            // A misplaced record would put a tenant where none of its greetings arrive.
            LOG.warn("skipping {}@{} of {}: tenant {} belongs on partition {}", r.partition(), r.offset(), topic, tenant,
                    TenantPartitioner.partition(tenant, partitions));
            return;
        }
        Set<String> held = keysByPartition.computeIfAbsent(r.partition(), p -> ConcurrentHashMap.newKeySet());
        if (r.value() == null) {
            bindings.remove(key);
            opened.remove(key);
            held.remove(key);
            return;
        }
        ChannelBinding b;
        try {
            b = values.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping {}@{} of {}: not a channel binding ({})", r.partition(), r.offset(), topic, e.getMessage());
            return;
        }
        if (b.connector() != Connector.LINE || !b.key().equals(key)) {
            return; // WORKS bots send no greetings; a row under another key is not this member's
        }
        if (!b.equals(bindings.put(key, b))) {
            opened.remove(key);
        }
        held.add(key);
    }

    /** How many channels' secrets are held opened (for tests: they go with their bindings). */
    int openedCount() {
        return opened.size();
    }

    private record Opened(String channelId, Sealed sealed, ChannelSecrets secrets) {
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
    }
}
