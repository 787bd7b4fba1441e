package io.connectorgateway.gateway.audit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Audit search configuration, prefix {@code gateway.audit} (environment {@code GATEWAY_AUDIT_*}).
 *
 * @param stateDir      RocksDB directory; kept across restarts (the store resumes from its own
 *                      checkpoint). Unset: a temporary directory, deleted at shutdown, rebuilt from
 *                      the topics at every start.
 * @param defaultLimit  page size when the query does not say
 * @param maxLimit      largest page size accepted
 * @param scanBudget    most index entries one page may examine before it returns what it has with
 *                      a cursor to continue (keeps every page fast however selective the filters)
 * @param tailBuffer    audit records kept in memory for {@code audit:tail}
 * @param tailMaxWait   longest a tail request waits for new records
 * @param readyTimeout  how long a search waits for the store's initial load before answering 503
 */
@ConfigurationProperties("gateway.audit")
public record AuditConfig(
        @Nullable String stateDir,
        @Bindable(defaultValue = "50") int defaultLimit,
        @Bindable(defaultValue = "500") int maxLimit,
        @Bindable(defaultValue = "200000") int scanBudget,
        @Bindable(defaultValue = "10000") int tailBuffer,
        @Bindable(defaultValue = "30s") Duration tailMaxWait,
        @Bindable(defaultValue = "10s") Duration readyTimeout) {
}
