package io.connectorgateway.greeting.send;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The limiter holds a channel to its rate and keeps channels apart. Only lower bounds on waiting
 * are asserted (a slow machine can only make them longer), never speed.
 */
class RateLimiterTest {

    @Test
    void aBurstBeyondOneSecondsWorthWaitsForTheRateAndOtherChannelsDoNot() throws Exception {
        RateLimiter limiter = new RateLimiter(10);
        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) { // 10 at once (the bucket), then 15 more at 10/s
            limiter.acquire("ACME__SATO|push");
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs >= 1_400, "25 requests at 10/s with a 10-request bucket take at least 1.5 s, took " + elapsedMs);

        long other = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            limiter.acquire("GLOBEX|push"); // its own full bucket
        }
        long otherMs = (System.nanoTime() - other) / 1_000_000;
        assertTrue(otherMs < elapsedMs / 2, "another channel is not held back by the first: " + otherMs + " ms");
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN));
    }
}
