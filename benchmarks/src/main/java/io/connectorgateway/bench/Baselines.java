package io.connectorgateway.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/** The two yardsticks the policy stream is measured against. */
public final class Baselines {
    private Baselines() {
    }

    /**
     * (a) The machine's Kafka limit for exactly-once copying: a plain transactional
     * consume-produce loop over raw bytes, committing offsets in each transaction.
     */
    static final class CopyLoop implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        CopyLoop(String bootstrap, String in, String out, String groupId) {
            thread = new Thread(() -> loop(bootstrap, in, out, groupId), "copy-loop");
        }

        void start() {
            thread.start();
        }

        private void loop(String bootstrap, String in, String out, String groupId) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-tx");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                 var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                consumer.subscribe(List.of(in));
                // Commit every ~100 ms like Kafka Streams' EOS default, not per poll: a fair limit.
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                long txStart = 0;
                while (running.get()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                    if (!records.isEmpty() && offsets.isEmpty()) {
                        producer.beginTransaction();
                        txStart = System.nanoTime();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        producer.send(new ProducerRecord<>(out, r.key(), r.value()));
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (!offsets.isEmpty() && (System.nanoTime() - txStart > 100_000_000L || records.isEmpty())) {
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        producer.commitTransaction();
                        offsets.clear();
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    /**
     * Runs one baseline in this JVM until SIGTERM (the harness starts it as a child JVM):
     * {@code copy <bootstrap> <in> <out> <group>} or
     * {@code identity <bootstrap> <in> <application id> <state dir> <commit interval ms> <out>...}.
     */
    public static void main(String[] args) throws Exception {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        AutoCloseable app;
        switch (args[0]) {
            case "copy" -> {
                CopyLoop loop = new CopyLoop(args[1], args[2], args[3], args[4]);
                loop.start();
                app = loop;
            }
            case "identity" -> {
                KafkaStreams streams = identity(args[1], args[3], args[2], List.of(args).subList(6, args.length), args[4],
                        Long.parseLong(args[5]));
                streams.start();
                app = streams;
            }
            default -> throw new IllegalArgumentException("unknown baseline " + args[0]);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("closing " + args[0] + ": " + e);
            }
            stop.countDown();
        }));
        stop.await();
    }

    /**
     * (b) The fair baseline: an identity Kafka Streams app with exactly_once_v2 that writes each
     * input record to two topics, as the policy stream writes a decision and an audit record.
     * (b') The same with as many outputs as the policy stream writes records per event, so the
     * cost of the policy's own work (parsing, rules, stores) is what remains between (b') and (c).
     */
    static KafkaStreams identity(String bootstrap, String appId, String in, List<String> outs,
                                 String stateDir, long commitIntervalMs) {
        StreamsBuilder b = new StreamsBuilder();
        KStream<byte[], byte[]> s = b.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("identity-source"));
        for (int i = 0; i < outs.size(); i++) {
            s.to(outs.get(i), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("identity-out-" + (i + 1)));
        }
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Otherwise Kafka Streams' defaults, exactly as the policy application runs: the baseline
        // must not be tuned in ways the product is not.
        return new KafkaStreams(b.build(), p);
    }
}
