package io.connectorgateway.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
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
     *                   {@code micronaut.server.port} (-1 for a random port), registry entries
     * @return the running server; {@code close()} it to stop
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }
}
