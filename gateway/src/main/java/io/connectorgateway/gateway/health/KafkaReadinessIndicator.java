package io.connectorgateway.gateway.health;

import io.connectorgateway.gateway.kafka.GatewayKafkaConfig;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.reactivestreams.Publisher;

/**
 * Ready only while Kafka answers: a gateway that cannot reach Kafka can only answer 503, so a
 * load balancer should send the webhooks to another instance.
 *
 * <p>The verdict is cached for {@code gateway.kafka.readiness-cache-ttl} so frequent probes do not
 * turn into a request storm against the cluster; the check never blocks the caller's thread (the
 * admin client completes it) and is bounded by a 1 s timeout.
 */
@Singleton
@Readiness
public class KafkaReadinessIndicator implements HealthIndicator {
    static final String NAME = "kafka";
    private static final int CHECK_TIMEOUT_MS = 1_000;

    private final Admin admin;
    private final long ttlNanos;
    private volatile Cached cached;

    private record Cached(HealthResult result, long atNanos) {
    }

    public KafkaReadinessIndicator(Admin admin, GatewayKafkaConfig config) {
        this.admin = admin;
        this.ttlNanos = config.readinessCacheTtl().toNanos();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Cached c = cached;
        if (c != null && System.nanoTime() - c.atNanos() < ttlNanos) {
            return Publishers.just(c.result());
        }
        return Publishers.fromCompletableFuture(check().thenApply(r -> {
            cached = new Cached(r, System.nanoTime());
            return r;
        }));
    }

    private CompletableFuture<HealthResult> check() {
        DescribeClusterResult d = admin.describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS));
        CompletableFuture<String> clusterId = d.clusterId().toCompletionStage().toCompletableFuture();
        CompletableFuture<Integer> nodes = d.nodes().toCompletionStage().toCompletableFuture().thenApply(n -> n.size());
        return clusterId.thenCombine(nodes, (id, count) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("clusterId", id);
            details.put("nodes", count);
            return HealthResult.builder(NAME, count > 0 ? HealthStatus.UP : HealthStatus.DOWN).details(details).build();
        }).exceptionally(e -> HealthResult.builder(NAME, HealthStatus.DOWN)
                .details(Map.of("error", String.valueOf(e.getCause() == null ? e : e.getCause())))
                .build());
    }
}
