package io.connectorgateway.gateway.limits;

import io.connectorgateway.contracts.Connector;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's rate limits (Bucket4j token buckets, one per key, in this instance's memory): the
 * admin API per tenant, the webhooks per LINE channel or WORKS bot, friend-add URL visits per tenant. A refused request is answered
 * 429 with {@code Retry-After} (whole seconds until a token is back) and counted in
 * {@code gateway_rate_limited_total{surface, connector}}.
 *
 * <p>Per instance: with N gateway instances behind a balancer a key may get up to N times the limit
 * at the instances that first take its requests; the admin API also forwards each request to the
 * tenant's owning instance, whose bucket sees all of the tenant's calls, so there the limit holds
 * for the whole cluster. Buckets that are full again (idle keys) are dropped every 30 s: memory
 * grows with the keys active in the last refill period, not with all tenants ever seen.
 */
@Singleton
public final class RateLimits implements AutoCloseable {
    private final Limiter admin;
    private final Limiter webhook;
    private final Limiter friend;
    private final MeterRegistry meters;
    private final ScheduledExecutorService sweeper;

    public RateLimits(RateLimitConfig config, MeterRegistry meters) {
        this.admin = new Limiter(config.adminCapacity(), config.adminPerSecond());
        this.webhook = new Limiter(config.webhookCapacity(), config.webhookPerSecond());
        this.friend = new Limiter(config.friendCapacity(), config.friendPerSecond());
        this.meters = meters;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-limit-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            admin.sweep();
            webhook.sweep();
            friend.sweep();
        }, 30, 30, TimeUnit.SECONDS);
    }

    /**
     * Takes one admin call of {@code tenant}.
     *
     * @return 0 when it may go on, else the seconds to wait (for {@code Retry-After})
     */
    public long admin(String tenant) {
        return count(admin.take(tenant), "admin", "none");
    }

    /**
     * Takes one webhook request of a channel or bot ({@code sender}, scoped by its tenant).
     *
     * @return 0 when it may go on, else the seconds to wait (for {@code Retry-After})
     */
    public long webhook(Connector connector, String tenant, String sender) {
        return count(webhook.take(connector + ":" + tenant + ":" + sender), "webhook",
                connector.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Takes one friend-add URL visit of {@code tenant} (anonymous: a refused visit is audited, so this
     * bounds what a visitor can add to the tenant's trail).
     *
     * @return 0 when it may go on, else the seconds to wait (for {@code Retry-After})
     */
    public long friend(String tenant) {
        return count(friend.take(tenant), "friend", "line");
    }

    private long count(long wait, String surface, String connector) {
        if (wait > 0) {
            Counter.builder("gateway.rate.limited").description("requests refused 429 by a rate limit")
                    .tag("surface", surface).tag("connector", connector).register(meters).increment();
        }
        return wait;
    }

    /** Keys with a bucket right now (for tests and the curious). */
    int keys() {
        return admin.buckets.size() + webhook.buckets.size() + friend.buckets.size();
    }

    @PreDestroy
    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private static final class Limiter {
        private final long capacity;
        private final long perSecond;
        private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

        Limiter(long capacity, long perSecond) {
            this.capacity = capacity;
            this.perSecond = perSecond;
        }

        long take(String key) {
            if (capacity == 0) {
                return 0;
            }
            Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1))).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return 0;
            }
            return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        }

        /** Drops the buckets that are full: a new one would be the same. */
        void sweep() {
            buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= capacity);
        }
    }
}
