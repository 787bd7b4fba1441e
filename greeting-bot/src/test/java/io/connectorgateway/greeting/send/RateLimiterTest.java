package io.connectorgateway.greeting.send;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The limiter holds a channel to its rate and keeps channels apart. Only lower bounds on waiting
 * are asserted (a slow machine can only make them longer), never speed; the isolation check
 * tells 100 s of waiting from none with 30 s of slack.
 */
class RateLimiterTest {

    @Test
    void aBurstBeyondOneSecondsWorthWaitsForTheRate() throws Exception {
        RateLimiter limiter = new RateLimiter(10);
        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) { // 10 at once (the bucket), then 15 more at 10/s
            limiter.acquire("ACME__SATO|push");
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs >= 1_400, "25 requests at 10/s with a 10-request bucket take at least 1.5 s, took " + elapsedMs);
    }

    @Test
    void channelsHaveBucketsOfTheirOwn() throws Exception {
        // One request per 100 s: ACME's second request would wait 100 s. GLOBEX's first must not:
        // a shared bucket would hold it that long, far beyond the 30 s given (no speed is measured).
        RateLimiter limiter = new RateLimiter(0.01);
        limiter.acquire("ACME|push");
        Thread globex = new Thread(() -> {
            try {
                limiter.acquire("GLOBEX|push");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        globex.start();
        globex.join(30_000);
        boolean held = globex.isAlive();
        globex.interrupt();
        assertFalse(held, "another channel's first request waited for ACME's budget");
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.POSITIVE_INFINITY));
    }
}
