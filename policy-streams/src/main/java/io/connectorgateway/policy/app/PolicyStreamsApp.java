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

    public static void main(String[] args) throws InterruptedException {
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
        PolicyStreamsService service = PolicyStreamsService.start(config);
        Thread hook = new Thread(service::close, "policy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.awaitStopped();
        LOG.info("policy stream stopped ({})", service.state());
    }
}
