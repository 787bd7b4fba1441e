package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.event.EventFreshness;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How old a webhook's event may be ({@code gateway.webhook.freshness.*}, from
 * {@code GATEWAY_WEBHOOK_MAX_EVENT_AGE} and {@code GATEWAY_WEBHOOK_MAX_EVENT_LEAD}): an event whose
 * own timestamp (LINE {@code timestamp}, WORKS {@code issuedTime}) is older than {@code maxAge}
 * when it arrives, or stamped more than {@code maxLead} ahead of this gateway's clock, is refused
 * as stale and audited (see {@link EventFreshness}). Keep it no wider than the policy stream's
 * ({@code POLICY_MAX_EVENT_AGE}, {@code POLICY_MAX_EVENT_LEAD}), which checks again.
 */
@ConfigurationProperties("gateway.webhook.freshness")
public record WebhookFreshness(@Bindable(defaultValue = "72h") Duration maxAge,
                               @Bindable(defaultValue = "15m") Duration maxLead) {

    /** @throws IllegalArgumentException (startup fails) for a window that is not positive */
    public EventFreshness rule() {
        try {
            return new EventFreshness(maxAge, maxLead);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.webhook.freshness (GATEWAY_WEBHOOK_MAX_EVENT_AGE / _LEAD): "
                    + e.getMessage(), e);
        }
    }
}
