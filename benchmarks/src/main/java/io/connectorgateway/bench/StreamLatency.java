package io.connectorgateway.bench;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark 2: end-to-end latency at fixed offered rates (10/50/80% of the policy's drain rate),
 * for (b) and (c) on the same traffic. The generator is open-loop: record i is due at
 * {@code start + i / rate} whatever happened before, and is stamped with that intended time (the
 * record timestamp, which both apps carry to their outputs). A stall therefore shows up as latency
 * of every record that should have been sent during it (no coordinated omission). Latency is
 * measured to the {@code read_committed} output: a {@code Delivery} for (c), the first output
 * topic for (b). Record timestamps are milliseconds, so figures have 1 ms resolution.
 */
final class StreamLatency {
    static final String NAME = "2 latency";
    private static final double[] LOADS = {0.10, 0.50, 0.80};
    private static final int WARMUP_SECONDS = 3;

    private final Bench bench;

    StreamLatency(Bench bench) {
        this.bench = bench;
    }

    void run(StreamThroughput.Outcome one) throws Exception {
        Topics topics = one.topics();
        String in = StreamThroughput.PREFIX + "latency.in";
        String out1 = StreamThroughput.PREFIX + "latency.out1";
        try (var admin = bench.admin()) {
            List<String> names = List.of(in, out1, StreamThroughput.PREFIX + "latency.out2");
            for (String t : names) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(t, topics.partitions(), (short) 1)))
                        .all().get();
            }
            Bench.awaitLeaders(admin, names);
        }
        try (ChildJvm identity = bench.startIdentity("identity-latency", in,
                List.of(out1, StreamThroughput.PREFIX + "latency.out2"), "bench2-identity");
             KafkaProducer<String, byte[]> producer = producer()) {
            Subject b = new Subject("(b) identity app", in, out1, identity);
            Subject c = new Subject("(c) policy-streams", topics.lineEvents.name(), topics.deliveries.name(), one.policy());
            var serializer = topics.lineEvents.valueSerde().serializer();
            SplittableRandom rnd = new SplittableRandom(7);
            int[] seq = {0};
            Probe next = intendedMs -> {
                ConnectorEvent e = one.mix().textMessage("lat-" + seq[0]++, rnd, intendedMs);
                return Map.entry(e.pairKey(), serializer.serialize("", e));
            };
            for (Subject s : List.of(b, c)) {
                s.awaitFlowing(producer, next);
            }
            for (double load : LOADS) {
                int rate = (int) Math.max(1, Math.round(one.policyEventsPerSecond() * load));
                for (Subject s : List.of(b, c)) {
                    Histogram h = s.measure(producer, next, rate, bench.profile.latencySeconds());
                    String subject = s.name + " at " + Math.round(load * 100) + "% (" + rate + "/s)";
                    String note = "commit.interval.ms=" + Bench.COMMIT_INTERVAL_MS + "; " + h.getTotalCount() + " records";
                    bench.record(NAME, subject, "p50", h.getValueAtPercentile(50) / 1000.0, "ms", note);
                    bench.record(NAME, subject, "p99", h.getValueAtPercentile(99) / 1000.0, "ms", "");
                    bench.record(NAME, subject, "p99.9", h.getValueAtPercentile(99.9) / 1000.0, "ms", "");
                }
            }
        }
    }

    /** The next probe event (key, value) for an intended send time. */
    private interface Probe {
        Map.Entry<String, byte[]> at(long intendedMs);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putAll(io.connectorgateway.contracts.topic.TenantPartitioner.CONFIG);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** One app under test: where the generator writes and where its committed decisions appear. */
    private final class Subject {
        final String name;
        final String input;
        final String output;
        final ChildJvm jvm;

        Subject(String name, String input, String output, ChildJvm jvm) {
            this.name = name;
            this.input = input;
            this.output = output;
            this.jvm = jvm;
        }

        KafkaConsumer<byte[], byte[]> consumer() {
            return bench.tail(output);
        }

        /** Sends a record every 200 ms until one comes out: the app is up and has its assignment. */
        void awaitFlowing(KafkaProducer<String, byte[]> producer,
                          Probe next) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            try (var consumer = consumer()) {
                while (System.nanoTime() < deadline) {
                    jvm.checkAlive();
                    producer.send(to(System.currentTimeMillis(), next));
                    if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                        return;
                    }
                }
            }
            throw new IllegalStateException(name + " produced nothing within 2 minutes");
        }

        /** The probe for {@code intendedMs}, stamped with it as its record timestamp. */
        private ProducerRecord<String, byte[]> to(long intendedMs, Probe next) {
            Map.Entry<String, byte[]> probe = next.at(intendedMs);
            return new ProducerRecord<>(input, null, intendedMs, probe.getKey(), probe.getValue());
        }

        /** Offers {@code rate} records/s for warm-up plus {@code seconds}; latencies of the measured part, in microseconds. */
        Histogram measure(KafkaProducer<String, byte[]> producer,
                          Probe next, int rate, int seconds)
                throws Exception {
            Histogram h = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3);
            AtomicBoolean sending = new AtomicBoolean(true);
            long startMs = System.currentTimeMillis() + 200;
            long measuredFromMs = startMs + WARMUP_SECONDS * 1000L;
            long total = (long) rate * (WARMUP_SECONDS + seconds);
            long expected = total - (long) rate * WARMUP_SECONDS;
            try (var consumer = consumer()) {
                Thread generator = new Thread(() -> {
                    long startNanos = System.nanoTime() + 200_000_000L;
                    for (long i = 0; i < total; i++) {
                        long offsetNanos = i * 1_000_000_000L / rate;
                        long wait = startNanos + offsetNanos - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        producer.send(to(startMs + offsetNanos / 1_000_000L, next));
                    }
                    producer.flush();
                    sending.set(false);
                }, "open-loop-generator");
                generator.start();
                long seen = 0;
                long quietSince = -1;
                while (seen < expected) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.timestamp() >= measuredFromMs) {
                            h.recordValue(Math.max(0, now - r.timestamp()) * 1000);
                            seen++;
                        }
                    }
                    if (!sending.get() && records.isEmpty()) {
                        quietSince = quietSince < 0 ? now : quietSince;
                        if (now - quietSince > 10_000) {
                            System.out.printf("    %s: only %,d of %,d records came out%n", name, seen, expected);
                            break;
                        }
                    } else {
                        quietSince = -1;
                    }
                    jvm.checkAlive();
                }
                generator.join();
            }
            return h;
        }
    }
}
