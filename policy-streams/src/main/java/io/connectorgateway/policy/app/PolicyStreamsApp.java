package io.connectorgateway.policy.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the policy stream until SIGTERM / SIGINT. All configuration comes from the environment
 * (see the module README); the runner knows nothing about rules.
 */
public final class PolicyStreamsApp {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamsApp.class);

    private PolicyStreamsApp() {
    }

    /** {@code POLICY_HEALTH_PORT}: port of {@code GET /health} (default 8081; negative: no endpoint). */
    public static int healthPort(java.util.Map<String, String> env) {
        String v = env.getOrDefault("POLICY_HEALTH_PORT", "8081").trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("POLICY_HEALTH_PORT must be a port number, got '" + v + "'", e);
        }
    }

    public static void main(String[] args) throws InterruptedException, java.io.IOException {
        PolicyConfig config;
        try {
            config = PolicyConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting policy stream: application.id={}, bootstrap={}, topics prefix='{}' x{} partitions, threads={}",
                config.applicationId(), config.kafka().bootstrapServers(), config.topics().prefix(),
                config.topics().partitions(), config.threads());
        PolicyStreamsService service;
        try {
            service = PolicyStreamsService.start(config);
        } catch (RuntimeException e) {
            // e.g. topics that do not match the catalogue: say why and exit, rather than leave started stream threads keeping the JVM alive.
            LOG.error("policy stream cannot start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        int healthPort = healthPort(System.getenv());
        HealthServer health = healthPort < 0 ? null : HealthServer.start(healthPort, service);
        if (health != null) {
            LOG.info("health endpoint on http://localhost:{}/health", health.port());
        }
        Thread hook = new Thread(() -> {
            service.close();
            if (health != null) {
                health.close();
            }
        }, "policy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.awaitStopped();
        LOG.info("policy stream stopped ({})", service.state());
    }
}
