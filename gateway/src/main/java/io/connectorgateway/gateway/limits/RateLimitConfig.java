package io.connectorgateway.gateway.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Rate limits, prefix {@code gateway.rate-limit} (environment {@code GATEWAY_RATE_LIMIT_*}). Each is
 * a token bucket: {@code capacity} requests at once (the burst), refilled at {@code per-second}.
 * A capacity of 0 switches that limit off.
 *
 * @param adminCapacity    admin API calls one tenant may make at once (all its credentials together)
 * @param adminPerSecond   admin API calls per second per tenant, sustained
 * @param webhookCapacity  webhook requests one LINE channel or WORKS bot may send at once
 * @param webhookPerSecond webhook requests per second per channel or bot, sustained
 * @param friendCapacity   friend-add URL visits (and QR codes) of one tenant at once; anonymous, and
 *                         each refused visit is an audit record, so this also bounds what anyone can
 *                         add to a tenant's audit trail
 * @param friendPerSecond  friend-add URL visits per second per tenant, sustained
 */
@ConfigurationProperties("gateway.rate-limit")
public record RateLimitConfig(
        @Bindable(defaultValue = "60") long adminCapacity,
        @Bindable(defaultValue = "10") long adminPerSecond,
        @Bindable(defaultValue = "2000") long webhookCapacity,
        @Bindable(defaultValue = "1000") long webhookPerSecond,
        @Bindable(defaultValue = "300") long friendCapacity,
        @Bindable(defaultValue = "50") long friendPerSecond) {

    public RateLimitConfig {
        check("admin", adminCapacity, adminPerSecond);
        check("webhook", webhookCapacity, webhookPerSecond);
        check("friend", friendCapacity, friendPerSecond);
    }

    private static void check(String what, long capacity, long perSecond) {
        if (capacity < 0 || perSecond < 0 || (capacity > 0 && perSecond == 0)) {
            throw new IllegalArgumentException("gateway.rate-limit." + what + "-capacity must be >= 0 (0 = off) and "
                    + what + "-per-second > 0 when it is on; got " + capacity + " and " + perSecond);
        }
    }
}
