package io.connectorgateway.bench;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.testsupport.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs the benchmark set and writes {@code docs/benchmarks.md}.
 *
 * <pre>
 *   ./bench.sh               quick profile (ends within ~10 minutes on 2 cores)
 *   ./bench.sh --profile full
 * </pre>
 */
public final class BenchmarkSuite {
    /** Sizes of one profile. */
    record Profile(String name, int messages, int tenants, int membersPerTenant, int usersPerMember) {
        static Profile of(String name) {
            return switch (name) {
                case "quick" -> new Profile("quick", 100_000, 50, 10, 4);
                case "full" -> new Profile("full", 400_000, 200, 20, 5);
                default -> throw new IllegalArgumentException("unknown profile '" + name + "' (quick or full)");
            };
        }
    }

    private final List<Result> results = new ArrayList<>();
    private final Profile profile;
    private final String bootstrap;
    private final Path workDir;

    private BenchmarkSuite(Profile profile, String bootstrap, Path workDir) {
        this.profile = profile;
        this.bootstrap = bootstrap;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        String profileName = "quick";
        Integer messages = null;
        Path out = Path.of("docs", "benchmarks.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profileName = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: bench.sh [--profile quick|full] [--messages N] [--out docs/benchmarks.md]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + args[i] + " (see --help)");
                    System.exit(1);
                }
            }
        }
        Profile profile = Profile.of(profileName);
        if (messages != null) {
            profile = new Profile(profile.name() + "/" + messages, messages, profile.tenants(), profile.membersPerTenant(),
                    profile.usersPerMember());
        }
        Path work = Files.createTempDirectory("connector-bench");
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        EmbeddedKafka embedded = null;
        String bootstrap;
        if (external != null && !external.isBlank()) {
            bootstrap = external;
        } else {
            embedded = EmbeddedKafka.start(work.resolve("kafka"));
            bootstrap = embedded.bootstrapServers();
        }
        try {
            BenchmarkSuite suite = new BenchmarkSuite(profile, bootstrap, work);
            suite.runAll();
            suite.report(out);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        System.out.printf("profile %s on %s (%d cores, JVM %s)%n", profile.name(), bootstrap,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        throughput();
    }

    /** Benchmark 1: drain the same pre-loaded events with (a), (b) and (c). */
    private void throughput() throws Exception {
        EventMix mix = new EventMix(profile.tenants(), profile.membersPerTenant(), profile.usersPerMember());
        Topics topics = new Topics("bench1.", Topics.DEFAULT_PARTITIONS, (short) 1);
        List<ConnectorEvent> events = mix.events(profile.messages(), 42);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(topics);
            for (String extra : List.of("bench1.copy.out", "bench1.identity.out1", "bench1.identity.out2")) {
                admin.createTopics(List.of(new NewTopic(extra, Topics.DEFAULT_PARTITIONS, (short) 1))).all().get();
            }
            long t0 = System.nanoTime();
            produce(topics.lineEvents.name(), events.stream().map(e -> Map.entry(e.pairKey(),
                    topics.lineEvents.valueSerde().serializer().serialize("", e))).toList());
            System.out.printf("  pre-loaded %,d events in %.1f s%n", events.size(), (System.nanoTime() - t0) / 1e9);
            long n = events.size();
            String in = topics.lineEvents.name();

            var copy = new Baselines.CopyLoop(bootstrap, in, "bench1.copy.out", "bench1-copy");
            Drain.Measurement a = Drain.run(admin, in, "bench1-copy", n, copy, copy::start, Duration.ofMinutes(10));
            record("1 throughput", "(a) transactional copy loop", a, "raw bytes, no parsing");

            var identity = Baselines.identityTwoOutputs(bootstrap, "bench1-identity", in, "bench1.identity.out1",
                    "bench1.identity.out2", workDir.resolve("state-b").toString(), 100);
            Drain.Measurement b = Drain.run(admin, in, "bench1-identity", n, identity, identity::start, Duration.ofMinutes(10));
            record("1 throughput", "(b) identity Streams app, EOS v2, 2 outputs", b, "commit.interval.ms=100");
        }
    }

    private void record(String bench, String subject, Drain.Measurement m, String note) {
        System.out.printf("  %-45s %,10.0f events/s  %,8.1f CPU us/event%n", subject, m.eventsPerSecond(), m.cpuMicrosPerEvent());
        results.add(new Result(bench, subject, "events/s", m.eventsPerSecond(), "events/s", note));
        results.add(new Result(bench, subject, "CPU per event", m.cpuMicrosPerEvent(), "us", "whole process incl. broker"));
    }

    private void produce(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (var r : records) {
                last = producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()));
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
    }

    private void report(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Measured by `./bench.sh --profile ").append(profile.name()).append("` on ")
                .append(Instant.now().toString(), 0, 10).append(": ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(Runtime.version()).append(", single-node KRaft broker in the same JVM.\n\n");
        md.append(String.format(Locale.ROOT, "Profile `%s`: %,d messages plus %,d friend-adds, %d tenants.%n%n",
                profile.name(), profile.messages(), profile.tenants() * profile.membersPerTenant() * profile.usersPerMember(),
                profile.tenants()));
        md.append("| benchmark | subject | metric | value | unit | note |\n|---|---|---|---:|---|---|\n");
        for (Result r : results) {
            md.append("| ").append(r.benchmark()).append(" | ").append(r.subject()).append(" | ").append(r.metric())
                    .append(" | ").append(r.formatted()).append(" | ").append(r.unit()).append(" | ").append(r.note()).append(" |\n");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println();
        System.out.print(md);
        System.out.println("written to " + out);
    }
}
