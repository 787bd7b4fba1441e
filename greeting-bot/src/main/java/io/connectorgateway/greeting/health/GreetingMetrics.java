package io.connectorgateway.greeting.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/** The bot's own meters, exported with the rest on {@code /prometheus}. */
public final class GreetingMetrics {
    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter failed;
    private final Timer latency;

    public GreetingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sent = Counter.builder("greeting.outcomes").tag("outcome", "sent")
                .description("greeting commands that ended sent").register(registry);
        this.failed = Counter.builder("greeting.outcomes").tag("outcome", "failed")
                .description("greeting commands that ended failed").register(registry);
        this.latency = Timer.builder("greeting.latency")
                .description("first attempt to outcome").register(registry);
    }

    public static GreetingMetrics detached() {
        return new GreetingMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One HTTP attempt; status 0 means no answer (timeout, connection failure). */
    public void attempt(int status) {
        String statusClass = status == 0 ? "none" : status == 409 ? "409" : status == 429 ? "429" : (status / 100) + "xx";
        registry.counter("greeting.push.attempts", "status", statusClass).increment();
    }

    public void outcome(boolean wasSent, long latencyMs) {
        (wasSent ? sent : failed).increment();
        latency.record(latencyMs, TimeUnit.MILLISECONDS);
    }

    public double sentCount() {
        return sent.count();
    }

    public double failedCount() {
        return failed.count();
    }
}
