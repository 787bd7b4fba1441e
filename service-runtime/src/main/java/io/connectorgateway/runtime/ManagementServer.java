package io.connectorgateway.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.inject.BeanConfiguration;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;

/**
 * The bot's small HTTP server: {@code /health} (with the consumer loop's state) and
 * {@code /prometheus}, from Micronaut management and Micrometer, like the gateway's.
 */
public final class ManagementServer implements AutoCloseable {
    /** The project's root package; the bot has no compile-time beans of its own. */
    static final String OTHER_SERVICES_ROOT = "io.connectorgateway";

    private final ApplicationContext context;
    private final EmbeddedServer server;

    /** What the health check reports: up or not, and details. */
    public record Status(boolean up, Map<String, Object> details) {
    }

    private ManagementServer(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /** Starts on {@code port} (-1: a free port). */
    public static ManagementServer start(String name, int port, Supplier<Status> status) {
        HealthIndicator indicator = new HealthIndicator() {
            @Override
            public Publisher<HealthResult> getResult() {
                Status s = status.get();
                return Publishers.just(HealthResult.builder(name, s.up() ? HealthStatus.UP : HealthStatus.DOWN)
                        .details(s.details()).build());
            }
        };
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                // The local stack runs every service in one JVM, one classpath: this context must
                // not pick up another service's application.yml, environment overrides or beans
                // (controllers, Kafka clients). Its configuration is exactly what is given here.
                .enableDefaultPropertySources(false)
                .environmentPropertySource(false)
                .beanConfigurations(BeanConfiguration.disabled(OTHER_SERVICES_ROOT))
                .properties(Map.ofEntries(
                        Map.entry("micronaut.application.name", name),
                        Map.entry("micronaut.server.port", port),
                        Map.entry("endpoints.health.enabled", true),
                        Map.entry("endpoints.health.sensitive", false),
                        Map.entry("endpoints.health.details-visible", "ANONYMOUS"),
                        Map.entry("endpoints.prometheus.enabled", true),
                        Map.entry("endpoints.prometheus.sensitive", false),
                        Map.entry("micronaut.metrics.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.enabled", true),
                        Map.entry("micronaut.metrics.export.prometheus.descriptions", true),
                        // metrics are scraped from /prometheus; never dumped into the log once a minute
                        Map.entry("micronaut.metrics.export.logging.enabled", false)))
                .singletons(indicator)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            if (!server.isRunning()) {
                server.start();
            }
            return new ManagementServer(context, server);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Every meter registry of this server's context (tests: which exports are on). */
    java.util.Collection<MeterRegistry> meterRegistries() {
        return context.getBeansOfType(MeterRegistry.class);
    }

    public MeterRegistry meterRegistry() {
        return context.getBean(MeterRegistry.class);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            context.close();
        }
    }
}
