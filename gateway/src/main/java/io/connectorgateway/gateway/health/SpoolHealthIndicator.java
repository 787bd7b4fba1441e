package io.connectorgateway.gateway.health;

import io.connectorgateway.gateway.kafka.SpoolingProducer;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The webhook spool in {@code /health}: how many requests wait for Kafka, their bytes and the
 * oldest one's age against the limits. DOWN once it is more than 90 % full (the next WORKS
 * callbacks would be answered 503): the operator's cue, beside the gauges at {@code /prometheus}.
 */
@Singleton
public class SpoolHealthIndicator implements HealthIndicator {
    private final SpoolingProducer spool;

    public SpoolHealthIndicator(SpoolingProducer spool) {
        this.spool = spool;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("webhookSpool", spool.nearlyFull() ? HealthStatus.DOWN : HealthStatus.UP)
                .details(spool.status()).build());
    }
}
