package io.connectorgateway.greeting.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofMinutes(1));

    @Test
    void backoffGrowsExponentiallyWithinHalfToFullOfTheStepAndIsCapped() {
        Random random = new Random(42);
        long[] steps = {500, 1_000, 2_000, 4_000, 4_000, 4_000};
        for (int attempt = 1; attempt <= steps.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                long ms = policy.backoff(attempt, random).toMillis();
                long step = steps[attempt - 1];
                assertTrue(ms >= step / 2 && ms <= step, "attempt " + attempt + ": " + ms + " ms outside [" + step / 2 + ", " + step + "]");
            }
        }
    }

    @Test
    void jitterSpreadsTheWaits() {
        Random random = new Random(7);
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            distinct.add(policy.backoff(3, random).toMillis());
        }
        assertTrue(distinct.size() > 10, "waits were " + distinct);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3)));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(3)));
        assertEquals(Duration.ZERO, new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .backoff(3, new Random(1)));
    }
}
