package io.connectorgateway.bench;

import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.app.PolicyStreamsApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What every benchmark shares: the broker, the profile, the work directory and the results. */
final class Bench {
    /** Commit interval of the policy application and of the identity baseline (the product default). */
    static final long COMMIT_INTERVAL_MS = 100;
    /** The policy's audit chain key for this run: generated, never a key in code. */
    static final String AUDIT_KEYS = AuditKeys.generate("bench");

    final Profile profile;
    final String bootstrap;
    final Path workDir;
    /** Where the policy child of benchmark 1 records JFR ({@code --jfr FILE}); null: no recording. */
    final Path jfrFile;
    final List<Result> results = new ArrayList<>();

    Bench(Profile profile, String bootstrap, Path workDir, Path jfrFile) {
        this.profile = profile;
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.jfrFile = jfrFile;
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** Creates the catalogue topics of {@code topics} and any extra plain topics. */
    void createTopics(Admin admin, Topics topics, String... extra) throws Exception {
        new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(topics);
        for (String name : extra) {
            admin.createTopics(List.of(new NewTopic(name, topics.partitions(), (short) 1))).all().get();
        }
        List<String> names = new ArrayList<>(topics.all().stream().map(Topic::name).toList());
        names.addAll(List.of(extra));
        awaitLeaders(admin, names);
    }

    /**
     * Waits until every partition of {@code names} has a leader. Loading into a partition whose
     * leadership is still being applied gets NOT_LEADER answers, and the idempotent loader's
     * retries of an early batch were then refused as out of order (seen once with the full
     * profile's 200 tenants), which stalls the load.
     */
    static void awaitLeaders(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false; // created a moment ago: not in the metadata yet
            }
            if (ready) {
                // The broker applies leadership just after it reports it; give it a moment.
                Thread.sleep(500);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + names + " have no leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    static Topics topics(String prefix) {
        return new Topics(prefix, Topics.DEFAULT_PARTITIONS, (short) 1);
    }

    /**
     * A durable producer (acks=all) with large batches, for pre-loading; records go to their
     * tenant's partition. One request in flight per connection: with more, a first batch refused
     * NOT_LEADER by a partition the broker has not finished creating can be overtaken by the next
     * one, and its retries are then refused as out of order until they expire (KAFKA-15591: seen
     * here as benchmark 5 losing the channels of two tenants and never finishing).
     */
    KafkaProducer<String, byte[]> loader() {
        Properties p = new Properties();
        p.putAll(TenantPartitioner.CONFIG);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes {@code values} to {@code topic}, keyed by {@code key}, and waits until all are acknowledged. */
    <V> void load(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, List<V> values,
                  java.util.function.Function<V, String> key) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
        var serializer = topic.valueSerde().serializer();
        for (V v : values) {
            sent.add(producer.send(new ProducerRecord<>(topic.name(), key.apply(v), serializer.serialize(topic.name(), v))));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(); // every record, not just the last: a lost batch must stop the benchmark, not skew it
        }
    }

    /**
     * A {@code read_committed} consumer of every partition of {@code topic}, positioned at its end
     * (no group: nothing to join, nothing committed), to watch what a subject writes from now on.
     */
    KafkaConsumer<byte[], byte[]> tail(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        return consumer;
    }

    /**
     * The real policy service ({@link PolicyStreamsApp}) in a child JVM;
     * {@code profiled}: with the JFR recording asked for by {@code --jfr}.
     */
    ChildJvm startPolicy(String name, Topics topics, String applicationId, boolean profiled) throws IOException {
        List<String> jvm = profiled && jfrFile != null
                ? List.of("-XX:StartFlightRecording=settings=profile,filename=" + jfrFile.toAbsolutePath())
                : List.of();
        return ChildJvm.start(name, workDir, PolicyStreamsApp.class.getName(), List.of(), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CONNECTOR_TOPIC_PREFIX", topics.prefix(),
                "CONNECTOR_TOPIC_PARTITIONS", Integer.toString(topics.partitions()),
                "POLICY_APPLICATION_ID", applicationId,
                "POLICY_STATE_DIR", workDir.resolve("state-" + name).toString(),
                "POLICY_COMMIT_INTERVAL_MS", Long.toString(COMMIT_INTERVAL_MS),
                "POLICY_HEALTH_PORT", "-1",
                "POLICY_TOKEN_SECRET", "benchmark-token-secret",
                // generated for this run, never a key in code
                AuditKeys.ENV, AUDIT_KEYS), jvm);
    }

    /** Baseline (a): the transactional copy loop in a child JVM. */
    ChildJvm startCopyLoop(String name, String in, String out, String group) throws IOException {
        return ChildJvm.start(name, workDir, Baselines.class.getName(), List.of("copy", bootstrap, in, out, group),
                Map.of(), List.of());
    }

    /** Baselines (b) and (b'): the identity EOS-v2 Streams app writing each input to every one of {@code outs}, in a child JVM. */
    ChildJvm startIdentity(String name, String in, List<String> outs, String applicationId) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("identity", bootstrap, in, applicationId,
                workDir.resolve("state-" + name).toString(), Long.toString(COMMIT_INTERVAL_MS)));
        args.addAll(outs);
        return ChildJvm.start(name, workDir, Baselines.class.getName(), args, Map.of(), List.of());
    }

    void record(String benchmark, String subject, String metric, double value, String unit, String note) {
        results.add(new Result(benchmark, subject, metric, value, unit, note));
        System.out.printf(Locale.ROOT, "  %-14s %-48s %-22s %12s %s%n", benchmark, subject, metric,
                new Result(benchmark, subject, metric, value, unit, note).formatted(), unit);
    }
}
