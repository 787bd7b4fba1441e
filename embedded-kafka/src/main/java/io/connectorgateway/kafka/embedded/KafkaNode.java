package io.connectorgateway.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft Apache Kafka node (combined broker and controller) in this JVM: Kafka's own
 * {@code KafkaRaftServer}, what {@code kafka.Kafka} runs, with its data in a kept directory and its
 * client listener on a port chosen by the caller, so the address printed by the local stack stays
 * the same across restarts. Configured for exactly-once on one node (replication 1 for the
 * transaction state log and the offsets topic).
 *
 * <p>For the local stack and the benchmarks. Tests use {@code test-support}, which adds the
 * JUnit extension, Testcontainers and a multi-process cluster.
 */
public final class KafkaNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    /** The local stack's default client port (not 9092, so a Kafka already on the machine is left alone). */
    public static final int DEFAULT_PORT = 19092;

    private static final int NODE_ID = 1;

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

    private final KafkaRaftServer server;
    private final int port;

    private KafkaNode(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats {@code dataDir} on first use (a directory formatted before keeps its data and cluster
     * id) and starts the node with clients on {@code 127.0.0.1:port} ({@code 0}: a free port).
     *
     * @throws IllegalStateException when the port is taken (with what to do about it) or the node
     *                               does not come up within two minutes
     */
    public static KafkaNode start(Path dataDir, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Kafka port must be 0 (any free port) or 1-65535, got " + port);
        }
        guardAgainstExit();
        long started = System.nanoTime();
        try {
            Path data = dataDir.toAbsolutePath().resolve("node-" + NODE_ID);
            Files.createDirectories(data);
            int clientPort = port == 0 ? freePort() : requireFree(port);
            int controllerPort = freePort();
            Properties p = new Properties();
            SINGLE_NODE_CONFIG.forEach(p::setProperty);
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", Integer.toString(NODE_ID));
            p.setProperty("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("log.dirs", data.toString());
            format(data, NODE_ID, clusterId(dataDir));
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            KafkaNode node = new KafkaNode(server, clientPort);
            try {
                node.awaitReady(Duration.ofMinutes(2));
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
            LOG.info("Kafka node ready at {} (data in {}) in {} ms", node.bootstrapServers(), data,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return node;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kafka node in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private void awaitReady(Duration patience) {
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Kafka node at " + bootstrapServers() + " did not answer within "
                                + patience.toSeconds() + " s: " + e, e);
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka node", e);
                }
            }
        }
    }

    /**
     * Formats a node's data directory in this JVM with Kafka's own {@code Formatter} (what
     * {@code kafka-storage format} runs, without a JVM of its own); a directory formatted before
     * is left as it is.
     */
    public static void format(Path data, int nodeId, String clusterId) throws IOException {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .addDirectory(data.toString())
                    .setMetadataLogDirectory(data.toString())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IOException("cannot format " + data + ": " + e, e);
        }
    }

    /** The cluster id kept in {@code dataDir/cluster.id}, made on first use: a restart presents the same id. */
    public static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private static int requireFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use (another local stack or a Kafka broker "
                    + "running?): stop it, or choose another port with LOCAL_KAFKA_PORT", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A broker fault must surface as an error of the process that embeds the node (the local stack
     * logs it and stops), not halt the JVM from inside Kafka.
     */
    public static void guardAgainstExit() {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to exit the JVM with status " + code + ": " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to halt the JVM with status " + code + ": " + message);
        });
    }

    /** Stops the node cleanly (controlled shutdown, logs flushed); the data stays. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("the Kafka node did not stop cleanly: {}", e.toString());
        }
    }
}
