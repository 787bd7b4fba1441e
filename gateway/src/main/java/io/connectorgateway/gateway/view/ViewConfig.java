package io.connectorgateway.gateway.view;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The view application's configuration, prefix {@code gateway.view} (environment
 * {@code GATEWAY_VIEW_*}; the advertised URL also as {@code GATEWAY_ADVERTISED_URL}).
 *
 * @param stateDir        Kafka Streams state directory (RocksDB stores and their checkpoints). Persistent:
 *                        a restart resumes from the checkpoint. Unset: a temporary directory deleted at
 *                        shutdown; the instance's partitions are restored from their changelogs at start
 * @param advertisedUrl   how the other gateway instances reach this one ({@code http://host:port}); the
 *                        view's {@code application.server}. Unset: {@code http://localhost:<server port>}
 * @param readyTimeout    how long an admin request waits for its tenant's partition to be queryable
 *                        (startup, restore, rebalance) before answering 503
 * @param forwardTimeout  longest wait for the owning instance's answer to a forwarded request
 * @param standbyReplicas Kafka Streams standby replicas of each partition's stores (faster fail-over,
 *                        at the cost of holding those partitions' tenants on another instance as well)
 */
@ConfigurationProperties("gateway.view")
public record ViewConfig(
        @Nullable String stateDir,
        @Nullable String advertisedUrl,
        @Bindable(defaultValue = "15s") Duration readyTimeout,
        @Bindable(defaultValue = "60s") Duration forwardTimeout,
        @Bindable(defaultValue = "0") int standbyReplicas) {
}
