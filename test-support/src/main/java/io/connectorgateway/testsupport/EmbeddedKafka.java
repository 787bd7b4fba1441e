package io.connectorgateway.testsupport;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker and controller) running in this JVM, from Apache
 * Kafka's own server code. Configured for exactly-once on one node: the transaction state log
 * and the offsets topic have replication factor 1 and min ISR 1.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Broker settings that make one node behave like a small production cluster for EOS. */
    public static final Map<String, String> SINGLE_NODE_CONFIG = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)));

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a broker with its data in a temporary directory, deleted on close.
     */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /**
     * Starts a broker. With {@code baseDirectory} the data lives there and is kept on close.
     */
    public static EmbeddedKafka start(Path baseDirectory) {
        guardAgainstExit();
        long started = System.nanoTime();
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (baseDirectory != null) {
                // A kept data directory is formatted once with one cluster id; restarts must
                // present the same id or the broker refuses the directory.
                nodes.setBaseDirectory(baseDirectory);
                nodes.setClusterId(clusterId(baseDirectory));
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
            SINGLE_NODE_CONFIG.forEach(builder::setConfigProp);
            if (baseDirectory != null) {
                builder.setDeleteOnClose(false);
            }
            KafkaClusterTestKit cluster = builder.build();
            if (baseDirectory == null || !alreadyFormatted(baseDirectory)) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            LOG.info("embedded Kafka broker ready at {} in {} ms", cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e, e);
        }
    }

    private static boolean alreadyFormatted(Path baseDirectory) throws java.io.IOException {
        try (var dirs = java.nio.file.Files.list(baseDirectory)) {
            return dirs.anyMatch(d -> java.nio.file.Files.exists(d.resolve("meta.properties")));
        }
    }

    private static String clusterId(Path baseDirectory) throws java.io.IOException {
        java.nio.file.Files.createDirectories(baseDirectory);
        Path file = baseDirectory.resolve("cluster.id");
        if (java.nio.file.Files.exists(file)) {
            return java.nio.file.Files.readString(file).trim();
        }
        String id = org.apache.kafka.common.Uuid.randomUuid().toString();
        java.nio.file.Files.writeString(file, id);
        return id;
    }

    /**
     * A broker fault inside the JVM must fail the test that caused it, not kill the JVM (and with
     * it Surefire's fork and every other test's report).
     */
    static void guardAgainstExit() {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to exit the JVM with status " + code + ": " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to halt the JVM with status " + code + ": " + message);
        });
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The underlying test kit, for fault tests that stop and start the broker. */
    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("embedded Kafka broker did not close cleanly", e);
        }
    }
}
