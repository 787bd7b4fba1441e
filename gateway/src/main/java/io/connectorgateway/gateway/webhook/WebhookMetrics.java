package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.Connector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * The webhook counters, exported at {@code /prometheus}:
 * {@code gateway_webhook_requests_total{connector,outcome}},
 * {@code gateway_webhook_rejections_total{connector,reason}} and
 * {@code gateway_webhook_events_total{connector,outcome,kind,reason}}. The produce latency is
 * {@code gateway_kafka_produce_seconds} (see {@code DurableProducer}).
 */
@Singleton
public class WebhookMetrics {
    private final MeterRegistry meters;

    public WebhookMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void accepted(Connector connector) {
        request(connector, "accepted");
    }

    public void refused(Connector connector, Refusal.Reason reason) {
        request(connector, reason == Refusal.Reason.KAFKA_UNAVAILABLE ? "unavailable" : "refused");
        Counter.builder("gateway.webhook.rejections")
                .description("webhook requests refused as a whole, by reason")
                .tag("connector", name(connector)).tag("reason", reason.tag())
                .register(meters).increment();
    }

    /**
     * One platform event: {@code produced}, {@code ignored} or {@code dead-lettered}; {@code kind}
     * is the platform's event type (translators pass only known names, anything else as
     * {@code other}, so a platform cannot blow up the metric's cardinality).
     */
    public void event(Connector connector, String outcome, String kind, String reason) {
        Counter.builder("gateway.webhook.events")
                .description("platform events in accepted webhook requests, by outcome, platform event type and reason")
                .tag("connector", name(connector)).tag("outcome", outcome).tag("kind", safe(kind)).tag("reason", safe(reason))
                .register(meters).increment();
    }

    private static String safe(String tag) {
        return tag != null && tag.matches("[A-Za-z0-9:_-]{1,40}") ? tag : "other";
    }

    private void request(Connector connector, String outcome) {
        Counter.builder("gateway.webhook.requests")
                .description("webhook requests by outcome")
                .tag("connector", name(connector)).tag("outcome", outcome)
                .register(meters).increment();
    }

    private static String name(Connector connector) {
        return connector == null ? "unknown" : connector.name().toLowerCase();
    }
}
