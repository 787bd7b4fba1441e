package io.connectorgateway.local.fault;

import io.connectorgateway.testsupport.EmbeddedKafka;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (Apache Kafka's own {@code kafka.Kafka} main) in its own JVM,
 * with its data in a kept directory and both listeners on ports fixed at construction. The test
 * kit's in-process broker binds fresh random ports on every start, so clients that live through
 * a restart (the policy processes, the gateway) would lose it; here a restart is the same broker
 * at the same address, as in production.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final JavaProcess process;

    BrokerProcess(Path workDir) throws IOException, InterruptedException {
        this.dataDir = workDir.resolve("kafka-data");
        Files.createDirectories(dataDir);
        this.port = freePort();
        int controllerPort = freePort();
        Path config = workDir.resolve("server.properties");
        Properties p = new Properties();
        // The same broker settings as the in-process test broker (EOS on one node), then the
        // KRaft identity and the fixed listeners.
        EmbeddedKafka.SINGLE_NODE_CONFIG.forEach(p::setProperty);
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toString());
        // Many small topics on a small box: keep segments and indexes small.
        p.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.setProperty("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.setProperty("controlled.shutdown.enable", "true");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "fault suite broker");
        }
        Path logDir = workDir.resolve("logs");
        new JavaProcess("kafka-format", "kafka.tools.StorageTool",
                List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString(),
                        "--ignore-formatted"), Map.of(), logDir, "256m").runToCompletion(120);
        this.process = new JavaProcess("kafka-broker", "kafka.Kafka", List.of(config.toString()), Map.of(), logDir, "768m");
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts (or restarts, on the same data and ports) and waits until the broker answers. */
    void start() throws IOException, InterruptedException {
        process.start();
        awaitReady(Duration.ofSeconds(120));
    }

    /** A clean stop (SIGTERM: controlled shutdown), as an operator restarting the broker does. */
    void stop() throws InterruptedException {
        process.stop(60);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker process exited; see " + process.log());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    // the broker answers metadata; the transaction coordinator may need a moment more
                    admin.listTransactions().all().get(10, TimeUnit.SECONDS);
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the broker was not ready within " + timeout + ": " + last + "; see " + process.log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.stop(30);
    }
}
