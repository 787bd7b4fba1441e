package io.connectorgateway.local.fault;

import io.connectorgateway.gateway.GatewayApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A gateway in a JVM of its own (issue 17 item 2), so that it can be SIGKILLed like a container:
 * no shutdown hook, no flush, whatever its WORKS spool held on disk is all that is left. Its
 * Micronaut properties are system properties of that JVM; its public and management ports are
 * fixed for its life, so a restart answers at the same address, on the same spool directory.
 */
final class GatewayProcess {
    private final JavaProcess process;
    private final int port;
    private final int managementPort;
    private final Path spoolDir;

    GatewayProcess(String name, Map<String, Object> properties, Path workDir) throws IOException {
        this.port = JavaProcess.freePort();
        this.managementPort = JavaProcess.freePort();
        this.spoolDir = properties.containsKey("gateway.spool.dir") ? Path.of(String.valueOf(properties.get("gateway.spool.dir"))) : null;
        List<String> options = new ArrayList<>();
        properties.forEach((k, v) -> {
            if (!k.equals("micronaut.server.port") && !k.equals(GatewayApplication.MANAGEMENT_PORT)) {
                options.add("-D" + k + "=" + (v instanceof Collection<?> c
                        ? c.stream().map(String::valueOf).collect(Collectors.joining(",")) : v));
            }
        });
        options.add("-Dmicronaut.server.port=" + port);
        options.add("-D" + GatewayApplication.MANAGEMENT_PORT + "=" + managementPort);
        this.process = new JavaProcess(name, GatewayApplication.class.getName(), options, List.of(), Map.of(),
                workDir.resolve("logs"), "384m");
    }

    String name() {
        return process.name();
    }

    /** Its WORKS spool directory (null: the default). */
    Path spoolDir() {
        return spoolDir;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized GatewayProcess start() throws IOException {
        process.start();
        return this;
    }

    /** Up: the management port answers {@code /health/liveness} 200 (the HTTP server is serving). */
    void awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status("/health/liveness") == 200) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited during start-up; log " + process.log());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name() + " not up within " + timeout + "; log " + process.log());
    }

    /** SIGKILL: no shutdown hook runs; what was spooled and fsync'd is on disk, nothing else. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM (Micronaut's shutdown hook stops the server and flushes the producer). */
    int stop() throws InterruptedException {
        return process.stop(60);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return process.log();
    }

    private int status(String path) {
        return JavaProcess.httpStatus(managementPort, path);
    }
}
