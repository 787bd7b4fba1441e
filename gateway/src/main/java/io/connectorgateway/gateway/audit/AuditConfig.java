package io.connectorgateway.gateway.audit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Audit search configuration, prefix {@code gateway.audit} (environment {@code GATEWAY_AUDIT_*}).
 * Where the audit index lives is the view application's business ({@code gateway.view}).
 *
 * @param defaultLimit  page size when the query does not say
 * @param maxLimit      largest page size accepted
 * @param scanBudget    most index entries one page may examine before it returns what it has with
 *                      a cursor to continue (keeps every page fast however selective the filters)
 * @param tailMaxWait   longest a tail request waits for new records
 */
@ConfigurationProperties("gateway.audit")
public record AuditConfig(
        @Bindable(defaultValue = "50") int defaultLimit,
        @Bindable(defaultValue = "500") int maxLimit,
        @Bindable(defaultValue = "200000") int scanBudget,
        @Bindable(defaultValue = "30s") Duration tailMaxWait) {
}
