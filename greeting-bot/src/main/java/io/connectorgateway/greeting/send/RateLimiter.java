package io.connectorgateway.greeting.send;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per LINE channel and endpoint. LINE limits each channel per endpoint (push:
 * 2,000 requests per second); staying under the limit ourselves means a burst of friend-adds is
 * spread out instead of answered with 429s. The bucket holds one second's worth of tokens, so a
 * burst up to the rate goes out at once.
 */
public final class RateLimiter {
    private final double permitsPerSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("GREETING_RATE_LIMIT_PER_SECOND must be positive");
        }
        this.permitsPerSecond = permitsPerSecond;
    }

    /** Blocks until {@code channel} may make one more request. */
    public void acquire(String channel) throws InterruptedException {
        buckets.computeIfAbsent(channel, c -> new Bucket(permitsPerSecond)).acquire();
    }

    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    private static final class Bucket {
        private final double rate;
        private final double capacity;
        private double tokens;
        private long lastNanos;

        Bucket(double rate) {
            this.rate = rate;
            this.capacity = Math.max(1, rate);
            this.tokens = capacity;
            this.lastNanos = System.nanoTime();
        }

        void acquire() throws InterruptedException {
            long waitNanos;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(capacity, tokens + (now - lastNanos) * rate / 1e9);
                lastNanos = now;
                // Take the token now (possibly going negative): waiters queue up in order of
                // arrival and each sleeps until its own token has accrued.
                tokens -= 1;
                waitNanos = tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
            }
            if (waitNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            }
        }
    }
}
