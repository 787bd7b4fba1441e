package io.connectorgateway.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway service: LINE webhooks and LINE WORKS callbacks in, canonical events out to Kafka,
 * plus health, readiness and Prometheus metrics (and the admin API, in its own packages).
 *
 * <p>{@link #main} is the deployable's entry point; configuration comes from the environment
 * (see the module README). {@link #start(Map)} runs the same application inside another JVM
 * program (the local stack, tests): the given properties win over the environment, and closing
 * the returned server stops everything cleanly (producer flushed, admin client closed).
 */
public final class GatewayApplication {
    /** The property naming the management port ({@code GATEWAY_MANAGEMENT_PORT}). */
    public static final String MANAGEMENT_PORT = "endpoints.all.port";

    private GatewayApplication() {
    }

    public static void main(String[] args) {
        // Micronaut registers a shutdown hook: SIGTERM stops the server, then closes the beans.
        Micronaut.build(args).mainClass(GatewayApplication.class).banner(false).start();
    }

    /**
     * Starts the gateway in this JVM.
     *
     * @param properties Micronaut properties, e.g. {@code gateway.kafka.bootstrap-servers},
     *                   {@code micronaut.server.port} (-1 for a random port, and then a random free
 *                   management port unless {@code endpoints.all.port} is given), registry entries
     * @return the running server; {@code close()} it to stop
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        if (!p.containsKey(MANAGEMENT_PORT) && "-1".equals(String.valueOf(p.get("micronaut.server.port")))) {
            // a random public port: a free management port too, so instances started side by side
            // (tests, benchmarks) never collide on the default one
            p.put(MANAGEMENT_PORT, freePort());
        }
        return ApplicationContext.run(EmbeddedServer.class, p);
    }

    /** The management port of a running gateway: health details, liveness, readiness, metrics. */
    public static int managementPort(EmbeddedServer server) {
        return server.getApplicationContext().getRequiredProperty(MANAGEMENT_PORT, Integer.class);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the management endpoints", e);
        }
    }
}
