package io.connectorgateway.gateway.kafka;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The webhook spool ({@code gateway.spool.*}, see the module README "No loss").
 *
 * @param enabled        spool WORKS callbacks that Kafka did not acknowledge in time ({@code GATEWAY_SPOOL_ENABLED})
 * @param dir            where the spool's files live, one directory per gateway instance ({@code GATEWAY_SPOOL_DIR}).
 *                       Unset: a temporary directory (the spool then bridges outages while the gateway
 *                       runs, but not a restart; a warning says so), deleted at shutdown when empty
 * @param maxBytes       most bytes of requests waiting for Kafka; beyond it a callback is answered 503 ({@code GATEWAY_SPOOL_MAX_BYTES})
 * @param maxAge         a spooled request older than this when its turn comes is dead-lettered, reason
 *                       {@code spool-expired}, instead of produced ({@code GATEWAY_SPOOL_MAX_AGE})
 * @param replayInterval how often the replayer tries Kafka again while the spool is not empty
 */
@ConfigurationProperties("gateway.spool")
public record SpoolConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String dir,
        @Bindable(defaultValue = "67108864") long maxBytes,
        @Bindable(defaultValue = "24h") Duration maxAge,
        @Bindable(defaultValue = "500ms") Duration replayInterval) {
}
