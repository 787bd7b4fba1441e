package io.connectorgateway.policy;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
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
        Path dir = Files.createTempDirectory("policy-broker");
        dirs.add(dir);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", topics.prefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(topics.partitions()));
        env.put("POLICY_APPLICATION_ID", ns.appId(appName));
        env.put("POLICY_STATE_DIR", dir.toString());
        env.put("POLICY_TOKEN_SECRET", new String(PolicyDriver.SECRET, StandardCharsets.UTF_8));
        env.put("POLICY_COMMIT_INTERVAL_MS", "100");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
        env.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "500");
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
        try {
            producer.send(new ProducerRecord<>(topic, null, tick(), key, value)).get();
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
     * Waits until every partition's processor holds settings {@code key} at {@code version} or later
     * (interactive query on each instance's local {@code policy-settings} store). Live, a change
     * reaches the partitions about one commit interval after it was produced, and applies to the
     * events processed after that; tests that want a change to apply to the events they send next
     * wait for this first.
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
        long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        while (System.currentTimeMillis() < deadline) {
            covered.clear();
            for (PolicyStreamsService s : services) {
                for (int p = 0; p < topics.partitions(); p++) {
                    try {
                        var store = s.streams().store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                                storeName, org.apache.kafka.streams.state.QueryableStoreTypes.<String, Object>keyValueStore())
                                .withPartition(p));
                        Object found = store.get(key);
                        if (found != null && applied.test(found)) {
                            covered.add(p);
                        }
                    } catch (org.apache.kafka.streams.errors.InvalidStateStoreException notHere) {
                        // partition not on this instance, or rebalancing
                    }
                }
            }
            if (covered.size() == topics.partitions()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(storeName + " " + key + " reached only partitions " + covered);
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
