package io.connectorgateway.greeting.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The registry without a broker: what it holds, what it refuses, and that it never falls back. */
class ChannelRegistryTest {
    private static final int PARTITIONS = 8;
    private static final Topics TOPICS = new Topics("t.", PARTITIONS, (short) 1);
    private static final String TOPIC = TOPICS.channels.name();
    // acme: partition 4 of 8, globex: 7, initech: 2 (README)
    private final ChannelSealer sealer = ChannelSealer.fromKeys(key("k1"));
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final ChannelRegistry registry = new ChannelRegistry(TOPICS, sealer, consumer, PARTITIONS);
    private final Map<Integer, Long> offsets = new HashMap<>();

    ChannelRegistryTest() {
        Map<TopicPartition, Long> zero = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            zero.put(new TopicPartition(TOPIC, p), 0L);
        }
        consumer.updateBeginningOffsets(zero);
        consumer.updateEndOffsets(zero);
    }

    @Test
    void followsOnlyItsPartitionsAndSendsThroughTheFollowedChannelOnly() {
        put(binding("acme", "alice", "ch-a", "tok-a"));
        put(binding("acme", "bob", "ch-b", "tok-b"));
        put(binding("globex", "gina", "ch-g", "tok-g"));
        registry.follow(Set.of(4));
        step();
        step();

        assertTrue(registry.ready(4));
        assertEquals(2, registry.size(), "acme's two members only, not globex's");
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a"), registry.resolve(cmd("acme", "alice", "ch-a")));
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a"), registry.resolve(cmd("acme", "alice", null)),
                "no channel named: the member's current one");
        assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "alice", "ch-b")), "bob's channel");
        var other = assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("globex", "gina", "ch-g")));
        assertTrue(other.reason().contains("partition 7"), other.reason());
        assertFalse(registry.resolve(cmd("acme", "alice", "ch-a")).toString().contains("tok-a"), "a token is never printed");
    }

    @Test
    void aPartitionIsNotReadyUntilReadAndIsForgottenWhenGivenUp() {
        put(binding("acme", "alice", "ch-a", "tok-a"));
        registry.follow(Set.of(4));
        assertInstanceOf(GreetingChannels.NotReady.class, registry.resolve(cmd("acme", "alice", "ch-a")),
                "assigned but not read: wait, do not fail and do not fall back");
        step();
        step();
        assertInstanceOf(GreetingChannels.Found.class, registry.resolve(cmd("acme", "alice", "ch-a")));

        registry.follow(Set.of(2));
        step();
        assertEquals(0, registry.size(), "acme's bindings are dropped with its partition");
        assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "alice", "ch-a")));
    }

    @Test
    void updatesAreInForceForTheNextLookupAndMisplacedOrForeignRowsAreIgnored() {
        registry.follow(Set.of(4));
        step();
        put(binding("acme", "alice", "ch-a", "tok-a"));
        step();
        put(binding("acme", "alice", "ch-a", "tok-a2"));
        step();
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a2"), registry.resolve(cmd("acme", "alice", "ch-a")),
                "a rotation is in force at once");
        // globex's row written on acme's partition: never put globex here
        ChannelBinding misplaced = binding("globex", "gina", "ch-g", "tok-g");
        add(record(4, misplaced.key(), TOPICS.channels.valueSerde().serializer().serialize(TOPIC, misplaced)));
        // a row with another member's key: ignored
        ChannelBinding bob = binding("acme", "bob", "ch-b", "tok-b");
        add(record(4, "acme:LINE:mallory", TOPICS.channels.valueSerde().serializer().serialize(TOPIC, bob)));
        add(record(4, "acme:LINE:zed", "not json".getBytes(StandardCharsets.UTF_8)));
        step();
        assertEquals(1, registry.size());
        assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "mallory", null)));
        // a tombstone removes
        add(record(4, "acme:LINE:alice", null));
        step();
        assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "alice", "ch-a")));
    }

    @Test
    void openedSecretsAreReusedOnlyWhileTheBindingIsTheSameAndGoWithIt() {
        registry.follow(Set.of(4));
        step();
        put(binding("acme", "alice", "ch-a", "tok-a"));
        put(binding("acme", "bob", "ch-b", "tok-b"));
        step();
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a"), registry.resolve(cmd("acme", "alice", "ch-a")));
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a"), registry.resolve(cmd("acme", "alice", "ch-a")));
        assertEquals(1, registry.openedCount(), "opened once, kept for the next greeting");

        put(binding("acme", "alice", "ch-a", "tok-a2"));
        step();
        assertEquals(0, registry.openedCount(), "a rotation drops what was opened");
        assertEquals(new GreetingChannels.Found("ch-a", "tok-a2"), registry.resolve(cmd("acme", "alice", "ch-a")),
                "the rotated token, not the one opened before");
        put(binding("acme", "alice", "ch-a2", "tok-new-channel"));
        step();
        assertEquals(new GreetingChannels.Found("ch-a2", "tok-new-channel"), registry.resolve(cmd("acme", "alice", null)),
                "a replaced channel: its own token");
        assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "alice", "ch-a")),
                "the old channel is refused even though its token was opened before");

        assertEquals(new GreetingChannels.Found("ch-b", "tok-b"), registry.resolve(cmd("acme", "bob", "ch-b")));
        assertEquals(2, registry.openedCount());
        add(record(4, "acme:LINE:alice", null));
        step();
        assertEquals(1, registry.openedCount(), "a deleted binding takes its opened secrets with it");
        registry.follow(Set.of(2));
        step();
        assertEquals(0, registry.openedCount(), "and so does a partition given up");
    }

    @Test
    void aTokenSealedUnderAnotherKeyIsAMissingTokenWithTheReason() {
        ChannelSealer other = ChannelSealer.fromKeys(key("k9"));
        put(ChannelBinding.registered(other, "acme", Connector.LINE, "alice", "ch-a", "Uch-a", null,
                new ChannelSecrets(List.of("sec"), "tok"), change()));
        registry.follow(Set.of(4));
        step();
        step();
        var missing = assertInstanceOf(GreetingChannels.Missing.class, registry.resolve(cmd("acme", "alice", "ch-a")));
        assertTrue(missing.reason().contains("cannot be opened") && missing.reason().contains("k9"), missing.reason());
    }

    private final java.util.ArrayList<ConsumerRecord<byte[], byte[]>> pending = new java.util.ArrayList<>();

    /** MockConsumer takes records of assigned partitions only: hold the others until assigned. */
    private void add(ConsumerRecord<byte[], byte[]> r) {
        pending.add(r);
        flush();
    }

    private void flush() {
        for (var it = pending.iterator(); it.hasNext(); ) {
            var r = it.next();
            if (consumer.assignment().contains(new TopicPartition(r.topic(), r.partition()))) {
                consumer.addRecord(r);
                it.remove();
            }
        }
    }

    private void step() {
        registry.step();
        flush();
    }

    private void put(ChannelBinding b) {
        int p = TenantPartitioner.partition(b.tenant(), PARTITIONS);
        add(record(p, b.key(), TOPICS.channels.valueSerde().serializer().serialize(TOPIC, b)));
    }

    private ConsumerRecord<byte[], byte[]> record(int p, String key, byte[] value) {
        long offset = offsets.merge(p, 1L, Long::sum) - 1;
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, p), offset + 1));
        return new ConsumerRecord<>(TOPIC, p, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private ChannelBinding binding(String tenant, String member, String channelId, String token) {
        return ChannelBinding.registered(sealer, tenant, Connector.LINE, member, channelId, "U" + channelId, null,
                new ChannelSecrets(List.of("secret-" + channelId), token), change());
    }

    private static Change change() {
        return new Change(new Actor("admin", Actor.Role.TENANT_ADMIN), "test", 1);
    }

    private static GreetingCommand cmd(String tenant, String member, String channelId) {
        return new GreetingCommand(1, "c-1", tenant, "r-1", member, "U1", "Hi", null, 1, "fa-1", 1, channelId);
    }

    private static String key(String id) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return id + ":" + Base64.getEncoder().encodeToString(k);
    }
}
