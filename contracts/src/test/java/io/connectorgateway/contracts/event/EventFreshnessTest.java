package io.connectorgateway.contracts.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventFreshnessTest {
    private static final long REF = 1_800_000_000_000L;
    private final EventFreshness window = new EventFreshness(Duration.ofHours(72), Duration.ofMinutes(15));

    @Test
    void theWindowIsInclusiveOnBothSides() {
        long age = Duration.ofHours(72).toMillis();
        long lead = Duration.ofMinutes(15).toMillis();
        assertTrue(window.check(REF - age, REF).isEmpty(), "exactly 72 h old is fresh");
        assertEquals(EventFreshness.Stale.Why.TOO_OLD, window.check(REF - age - 1, REF).orElseThrow().why());
        assertEquals(age + 1, window.check(REF - age - 1, REF).orElseThrow().ageMs());
        assertTrue(window.check(REF + lead, REF).isEmpty(), "exactly 15 min ahead is fresh");
        assertEquals(EventFreshness.Stale.Why.AHEAD, window.check(REF + lead + 1, REF).orElseThrow().why());
        assertTrue(window.check(REF, REF).isEmpty());
    }

    @Test
    void theMessageSaysWhenAndWhyNeverTheContent() {
        String m = window.check(REF - Duration.ofDays(8).toMillis(), REF).orElseThrow().message();
        assertTrue(m.contains("PT192H"), m);
        assertTrue(m.contains("refused as stale"), m);
        assertTrue(m.contains("PT72H"), m);
    }

    @Test
    void aWindowMustFitInsideTheDeduplicationMemory() {
        window.requireWithin(Duration.ofDays(7), "A", "L", "D");
        var e = assertThrows(IllegalArgumentException.class,
                () -> window.requireWithin(Duration.ofHours(72), "AGE", "LEAD", "MEMORY"));
        assertTrue(e.getMessage().contains("AGE") && e.getMessage().contains("MEMORY"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EventFreshness(Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new EventFreshness(Duration.ofHours(1), Duration.ofMinutes(-1)));
    }

    @Test
    void durationsAreReadInTheUsualShortFormsAndIso() {
        assertEquals(Duration.ofHours(72), EventFreshness.duration("X", "72h"));
        assertEquals(Duration.ofMinutes(15), EventFreshness.duration("X", " 15m "));
        assertEquals(Duration.ofMillis(500), EventFreshness.duration("X", "500ms"));
        assertEquals(Duration.ofDays(3), EventFreshness.duration("X", "3d"));
        assertEquals(Duration.ofHours(72), EventFreshness.duration("X", "PT72H"));
        var e = assertThrows(IllegalArgumentException.class, () -> EventFreshness.duration("POLICY_MAX_EVENT_AGE", "3 days"));
        assertTrue(e.getMessage().contains("POLICY_MAX_EVENT_AGE"), e.getMessage());
    }
}
