package io.connectorgateway.policy;

import io.connectorgateway.testsupport.TestAuditKeys;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The policy stream on the real broker for one test: its own topic prefix and application ids,
 * inputs produced with explicit timestamps, outputs read {@code read_committed}.
 */
final class BrokerStack implements AutoCloseable {
    final KafkaBroker broker;
    final KafkaBroker.Namespace ns;
    final Topics topics;
    private final List<PolicyStreamsService> services = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private long clock = System.currentTimeMillis();

    BrokerStack(KafkaBroker broker, KafkaBroker.Namespace ns, int partitions) {
        this.broker = broker;
        this.ns = ns;
        this.topics = new Topics(ns.topicPrefix(), partitions, (short) 1);
        try (var admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(topics);
        }
        producer = new KafkaProducer<>(broker.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Starts one instance of the app under {@code appName} (same name = same group). */
    PolicyStreamsService start(String appName) throws Exception {
        return start(appName, Map.of());
    }

    /** Like {@link #start(String)}, with further environment variables, applied last. */
    PolicyStreamsService start(String appName, Map<String, String> extraEnv) throws Exception {
        Path dir = Files.createTempDirectory("policy-broker");
        dirs.add(dir);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", topics.prefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(topics.partitions()));
        env.put("POLICY_APPLICATION_ID", ns.appId(appName));
        env.put("POLICY_STATE_DIR", dir.toString());
        env.put("POLICY_TOKEN_SECRET", new String(PolicyDriver.SECRET, StandardCharsets.UTF_8));
        env.putAll(TestAuditKeys.env());
        env.put("POLICY_COMMIT_INTERVAL_MS", "100");
        env.put("POLICY_CHECKPOINT_INTERVAL_MS", "1000");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
        env.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "500");
        env.putAll(extraEnv);
        PolicyStreamsService service = PolicyStreamsService.start(PolicyConfig.fromEnvironment(env));
        services.add(service);
        return service;
    }

    long tick() {
        clock += 10;
        return clock;
    }

    <V> void send(Topic<String, V> topic, String key, V value) {
        send(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    void send(String topic, byte[] key, byte[] value) {
        sendTo(topic, null, key, value);
    }

    /** Sends to an explicit partition (null: the tenant's, by the producer's TenantPartitioner). */
    <V> void sendTo(Topic<String, V> topic, Integer partition, String key, V value) {
        sendTo(topic.name(), partition, topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    void sendTo(String topic, Integer partition, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, tick(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    void settings(TenantSettings s) {
        send(topics.settings, s.key(), s);
    }

    void member(ConnectedMember m) {
        send(topics.members, m.key(), m);
    }

    void directory(DirectoryEvent d) {
        send(topics.directoryEvents, d.key(), d);
    }

    void event(ConnectorEvent e) {
        send(e.connector() == io.connectorgateway.contracts.Connector.LINE ? topics.lineEvents : topics.worksEvents,
                e.pairKey(), e);
    }

    /** Reads {@code topic} from the start, read_committed, until {@code done} holds or patience runs out. */
    /**
     * A delivery as the platform reads it: its sealed content opened with the message's key, read
     * from {@code connector.content.keys}.
     */
    io.connectorgateway.contracts.command.Delivery opened(io.connectorgateway.contracts.command.Delivery d) {
        String id = d.sealed().keyId();
        var keys = read(topics.contentKeys, r -> r.stream().anyMatch(k -> id.equals(k.key()) && k.value() != null));
        var key = keys.stream().filter(k -> id.equals(k.key())).reduce((a, b) -> b).orElseThrow().value();
        return d.opened(key);
    }

    <V> List<ConsumerRecord<String, V>> read(Topic<String, V> topic, Predicate<List<ConsumerRecord<String, V>>> done) {
        return readRaw(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer(), done);
    }

    <K, V> List<ConsumerRecord<K, V>> readRaw(String topic, org.apache.kafka.common.serialization.Deserializer<K> kd,
                                              org.apache.kafka.common.serialization.Deserializer<V> vd,
                                              Predicate<List<ConsumerRecord<K, V>>> done) {
        List<ConsumerRecord<K, V>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(broker.consumerConfig(ns.appId("reader-" + System.nanoTime())), kd, vd)) {
            assignFromStart(consumer, topic);
            long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            while (!done.test(seen) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /** Reads until {@code done}, then keeps reading for {@code quiet} to see that nothing more comes. */
    <V> List<ConsumerRecord<String, V>> readSettled(Topic<String, V> topic, Predicate<List<ConsumerRecord<String, V>>> done,
                                                   Duration quiet) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(broker.consumerConfig(ns.appId("reader-" + System.nanoTime())),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            assignFromStart(consumer, topic.name());
            long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            while (!done.test(seen) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            long quietUntil = System.currentTimeMillis() + quiet.toMillis();
            while (System.currentTimeMillis() < quietUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /**
     * Waits until the processor of the tenant's partition holds settings {@code key} at
     * {@code version} or later (interactive query on each instance's local {@code policy-settings}
     * store). Live, a change reaches the partition about one commit interval after it was produced,
     * and applies to the events processed after that; tests that want a change to apply to the
     * events they send next wait for this first.
     */
    void awaitSettings(String key, long version) throws InterruptedException {
        awaitApplied(io.connectorgateway.policy.state.PolicyStores.SETTINGS, key,
                v -> ((TenantSettings) v).version() >= version);
    }

    /** Like {@link #awaitSettings} for a connected-member row. */
    void awaitMember(String key, long version) throws InterruptedException {
        awaitApplied(io.connectorgateway.policy.state.PolicyStores.MEMBERS, key,
                v -> ((ConnectedMember) v).version() >= version);
    }

    private void awaitApplied(String storeName, String key, Predicate<Object> applied) throws InterruptedException {
        int home = TenantPartitioner.partitionOfKey(key, topics.partitions());
        long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (PolicyStreamsService s : services) {
                Object found = readLocal(s, storeName, home, store -> store.get(key)).orElse(null);
                if (found != null && applied.test(found)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(storeName + " " + key + " did not reach its tenant's partition " + home);
    }

    /** Reads one instance's local store of one partition, if that instance has it active now. */
    static <T> java.util.Optional<T> readLocal(PolicyStreamsService s, String storeName, int partition,
                                              java.util.function.Function<
                                                      org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object>, T> read) {
        try {
            return java.util.Optional.ofNullable(read.apply(s.streams().store(
                    org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                    storeName, org.apache.kafka.streams.state.QueryableStoreTypes.<String, Object>keyValueStore())
                    .withPartition(partition))));
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException notHere) {
            return java.util.Optional.empty(); // partition not on this instance, or rebalancing
        }
    }

    /** Every key of a key-value store, per partition this instance holds active. */
    static Map<Integer, List<String>> keysByPartition(PolicyStreamsService s, String storeName, int partitions) {
        Map<Integer, List<String>> out = new java.util.TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            readLocal(s, storeName, p, store -> {
                List<String> keys = new ArrayList<>();
                try (var it = store.all()) {
                    it.forEachRemaining(kv -> keys.add(kv.key));
                }
                return keys;
            }).ifPresent(keys -> out.put(partition, keys));
        }
        return out;
    }

    /** Waits until every given instance is RUNNING with at least one active task. */
    static void awaitInstancesRunTasks(org.apache.kafka.streams.KafkaStreams... instances) throws InterruptedException {
        long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (var s : instances) {
                all &= s.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                        && s.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not every instance owns tasks");
    }

    /** Assigned, not subscribed: no group join, so reading starts at once. */
    private static void assignFromStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(pi -> new org.apache.kafka.common.TopicPartition(topic, pi.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        services.forEach(PolicyStreamsService::close);
        producer.close();
        for (Path dir : dirs) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // temp dir; best effort
            }
        }
    }
}
