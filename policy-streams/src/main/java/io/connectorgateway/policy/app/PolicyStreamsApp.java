package io.connectorgateway.policy.app;

import io.connectorgateway.runtime.ManagementServer;
import io.connectorgateway.runtime.ServiceRunner;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the policy stream as its own service, as every service runs ({@link ServiceRunner}: exit 2
 * when it cannot start, e.g. topics that do not match the catalogue; clean shutdown on SIGTERM /
 * SIGINT, leaving the group; exit 1 when the application fails). All configuration comes from the
 * environment (see the module README); the runner knows nothing about rules. Health and metrics
 * are served as the greeting bot serves them ({@link ManagementServer}).
 */
public final class PolicyStreamsApp {
    static final String SERVICE = "policy-streams";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamsApp.class);

    private PolicyStreamsApp() {
    }

    /** {@code POLICY_HEALTH_PORT}: port of {@code /health} and {@code /prometheus} (default 8081; negative: none). */
    public static int healthPort(Map<String, String> env) {
        String v = env.getOrDefault("POLICY_HEALTH_PORT", "8081").trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("POLICY_HEALTH_PORT must be a port number, got '" + v + "'", e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceRunner.run(SERVICE, () -> {
            PolicyConfig config = PolicyConfig.fromEnvironment();
            int port = healthPort(System.getenv());
            LOG.info("starting policy stream: application.id={}, bootstrap={}, topics prefix='{}' x{} partitions, threads={}",
                    config.applicationId(), config.kafka().bootstrapServers(), config.topics().prefix(),
                    config.topics().partitions(), config.threads());
            // Health answers from the start (503 "STARTING" until the application runs), so the
            // port says "this process is up" before the stream takes work, not a framework start later.
            AtomicReference<PolicyStreamsService> started = new AtomicReference<>();
            ManagementServer management = port < 0 ? null : management(started::get, port);
            PolicyStreamsService service;
            try {
                service = PolicyStreamsService.start(config);
            } catch (RuntimeException e) {
                if (management != null) {
                    management.close();
                }
                throw e;
            }
            started.set(service);
            if (management != null) {
                new KafkaStreamsMetrics(service.streams()).bindTo(management.meterRegistry());
                LOG.info("health and metrics on http://localhost:{}/health and /prometheus", management.port());
            }
            java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
            return new ServiceRunner.Running() {
                @Override
                public void awaitTermination() throws InterruptedException {
                    service.awaitStopped();
                }

                @Override
                public boolean failed() {
                    // stopped without being told to: the application failed (ERROR, or shut down by its handler)
                    return !told.get();
                }

                @Override
                public void close() {
                    told.set(true);
                    service.close();
                    if (management != null) {
                        management.close();
                    }
                }
            };
        });
    }

    /**
     * {@code /health} (UP while the application runs or rebalances, 503 otherwise, its state in
     * the details) and {@code /prometheus} (Kafka Streams' own metrics through Micrometer) on
     * {@code port} (-1: a free port), for a service already started.
     */
    public static ManagementServer management(PolicyStreamsService service, int port) {
        ManagementServer server = management(() -> service, port);
        new KafkaStreamsMetrics(service.streams()).bindTo(server.meterRegistry());
        return server;
    }

    /** The same before the service exists: 503 {@code STARTING} until {@code service} gives one. */
    static ManagementServer management(Supplier<PolicyStreamsService> service, int port) {
        return ManagementServer.start(SERVICE, port, () -> {
            PolicyStreamsService s = service.get();
            if (s == null) {
                return new ManagementServer.Status(false, Map.of("policy", "STARTING"));
            }
            KafkaStreams.State state = s.state();
            return new ManagementServer.Status(state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING,
                    Map.of("policy", state.name()));
        });
    }
}
