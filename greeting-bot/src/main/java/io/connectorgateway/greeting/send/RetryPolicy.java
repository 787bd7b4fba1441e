package io.connectorgateway.greeting.send;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a push is retried.
 *
 * <p>Backoff is exponential with "equal jitter": attempt n waits between half and all of
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))}, so instances that failed together do not
 * retry together, while every wait still grows. A 429's {@code Retry-After} replaces the backoff
 * (capped at {@code maxRetryAfter}, beyond which the command fails rather than hold a worker).
 *
 * @param maxAttempts    attempts per command, including the first
 * @param initialBackoff wait after the first failed attempt (before jitter)
 * @param maxBackoff     longest wait between attempts (before jitter)
 * @param maxRetryAfter  longest {@code Retry-After} honoured
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("GREETING_MAX_ATTEMPTS must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration backoff(int attempt, RandomGenerator random) {
        long base = initialBackoff.toMillis();
        for (int i = 1; i < attempt && base < maxBackoff.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, maxBackoff.toMillis());
        long half = base / 2;
        return Duration.ofMillis(half + (base - half == 0 ? 0 : random.nextLong(base - half + 1)));
    }
}
