package io.connectorgateway.greeting.send;

import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Bucket4j token bucket per LINE channel and endpoint. LINE limits each channel per endpoint
 * (push: 2,000 requests per second); staying under the limit ourselves means a burst of
 * friend-adds is spread out instead of answered with 429s. The bucket holds one second's worth of
 * tokens (at least one), so a burst up to the rate goes out at once; after that a request waits
 * for its token (Bucket4j's blocking consumption, first come first served).
 */
public final class RateLimiter {
    private final double permitsPerSecond;
    private final long capacity;
    private final Duration perToken;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("GREETING_RATE_LIMIT_PER_SECOND must be a positive number, got " + permitsPerSecond);
        }
        this.permitsPerSecond = permitsPerSecond;
        this.capacity = Math.max(1, (long) Math.floor(permitsPerSecond));
        // One token every 1/rate seconds: exact for fractional rates too (0.5/s = one per 2 s).
        this.perToken = Duration.ofNanos(Math.max(1, Math.round(1e9 / permitsPerSecond)));
    }

    /** Blocks until {@code channel} may make one more request. */
    public void acquire(String channel) throws InterruptedException {
        buckets.computeIfAbsent(channel, c -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(1, perToken))
                .build()).asBlocking().consume(1);
    }

    public double permitsPerSecond() {
        return permitsPerSecond;
    }
}
