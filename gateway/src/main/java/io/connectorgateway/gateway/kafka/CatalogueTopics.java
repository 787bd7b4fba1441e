package io.connectorgateway.gateway.kafka;

import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's missing topics while the gateway starts. A {@link Context} bean, so a
 * topic that exists with the wrong shape (or a Kafka that cannot be reached within the startup
 * timeout) fails startup loudly instead of surfacing later as 503s.
 */
@Context
@Requires(property = "gateway.kafka.create-topics", notEquals = "false")
public class CatalogueTopics {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogueTopics.class);

    private static final int ATTEMPTS = 3;

    private final TopicBootstrapper bootstrapper;
    private final Topics topics;

    public CatalogueTopics(TopicBootstrapper bootstrapper, Topics topics) {
        this.bootstrapper = bootstrapper;
        this.topics = topics;
    }

    /**
     * The bootstrapper is idempotent, so a failed run is retried a few times: right after a topic
     * is created (by us or by another service starting at the same moment) a broker may still
     * answer "unknown topic" for a short while. A topic of the wrong shape fails every attempt.
     */
    @PostConstruct
    void ensure() {
        for (int attempt = 1; ; attempt++) {
            try {
                TopicBootstrapper.Report report = bootstrapper.ensure(topics);
                LOG.info("topics ready: {} created, {} verified", report.created().size(), report.verified().size());
                return;
            } catch (IllegalStateException e) {
                if (attempt >= ATTEMPTS || e.getMessage().startsWith("topics do not match")) {
                    throw e;
                }
                LOG.warn("topic bootstrap attempt {} failed, retrying: {}", attempt, e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
