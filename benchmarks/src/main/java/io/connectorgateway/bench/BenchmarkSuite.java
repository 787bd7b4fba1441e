package io.connectorgateway.bench;

import io.connectorgateway.kafka.embedded.KafkaNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the benchmark set and writes {@code docs/benchmarks.md}.
 *
 * <pre>
 *   ./bench.sh                         quick profile (ends within ~10 minutes on 2 cores)
 *   ./bench.sh --profile full
 *   ./bench.sh --only 1,3 --jfr /tmp/policy.jfr   a subset; JFR recording of the policy during 1
 * </pre>
 *
 * The broker runs in this JVM (or is external: {@code KAFKA_BOOTSTRAP_SERVERS}); the stream
 * services measured in 1 to 3 run in child JVMs so that RSS, CPU and JFR are theirs alone.
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        String profileName = "quick";
        Integer messages = null;
        Path out = Path.of("docs", "benchmarks.md");
        Path jfr = null;
        Set<String> only = Set.of("1", "2", "3", "4", "5", "6");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--profile" -> profileName = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--jfr" -> jfr = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "-h", "--help" -> {
                    System.out.println("usage: bench.sh [--profile quick|full] [--messages N] [--only 1,2,...]"
                            + " [--jfr FILE] [--out docs/benchmarks.md]");
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
            profile = profile.withMessages(messages);
        }
        Path work = Files.createTempDirectory("connector-bench");
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        KafkaNode embedded = null;
        String bootstrap;
        if (external != null && !external.isBlank()) {
            bootstrap = external;
        } else {
            embedded = KafkaNode.start(work.resolve("kafka"), 0);
            bootstrap = embedded.bootstrapServers();
        }
        long started = System.nanoTime();
        Bench bench = new Bench(profile, bootstrap, work, jfr);
        try {
            System.out.printf("profile %s on %s (%d cores, JVM %s), work dir %s%n", profile.name(), bootstrap,
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), work);
            runAll(bench, only);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        Report.write(bench, out, minutes, embedded != null, args);
        deleteQuietly(work);
        System.exit(0);
    }

    private static void runAll(Bench bench, Set<String> only) throws Exception {
        if (only.contains("1") || only.contains("2")) {
            StreamThroughput.Outcome one = new StreamThroughput(bench).run();
            try (ChildJvm policy = one.policy()) {
                if (only.contains("2")) {
                    new StreamLatency(bench).run(one);
                }
            }
        }
        if (only.contains("3")) {
            new RoomDropFanOut(bench).run();
        }
        if (only.contains("4")) {
            new WebhookIngress(bench).run();
        }
        if (only.contains("5")) {
            new GreetingThroughput(bench).run();
        }
        if (only.contains("6")) {
            new AuditSearch(bench).run();
        }
        bench.record("7 memory", "benchmark JVM (broker, load generators, 4-6)", "peak RSS", ProcStatus.selfPeakRssMib(),
                "MiB", "VmHWM of the whole run; -Xmx4g");
    }

    private static void deleteQuietly(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
