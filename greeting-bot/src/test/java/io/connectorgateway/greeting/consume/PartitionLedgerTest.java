package io.connectorgateway.greeting.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PartitionLedgerTest {

    @Test
    void commitsUpToTheLowestUnfinishedOffsetAndCarriesTheFinishedOnesAbove() {
        PartitionLedger ledger = new PartitionLedger(10, null);
        LongStream.rangeClosed(10, 14).forEach(o -> assertTrue(ledger.admit(o)));

        // 10 is slow; 11 and 13 finish first.
        PartitionLedger.Plan plan = ledger.plan(List.of(13L, 11L));
        assertEquals(List.of(11L, 13L), plan.offsets());
        assertEquals(10, plan.newBase(), "10 is unfinished, so nothing past it is committed as a position");
        assertEquals(List.of(11L, 13L), PartitionLedger.decode(10, plan.metadata()));
        ledger.apply(plan);

        // 10 finishes: the position moves to 12 (the next unfinished); 13 stays in the metadata.
        PartitionLedger.Plan next = ledger.plan(List.of(10L));
        assertEquals(12, next.newBase());
        assertEquals(List.of(13L), PartitionLedger.decode(12, next.metadata()));
        ledger.apply(next);
        assertEquals(12, ledger.committed());
    }

    @Test
    void afterARestartRecordedOffsetsAreSkippedAndTheRestProcessed() {
        String metadata = PartitionLedger.encode(10, new TreeSet<>(List.of(11L, 13L, 500L)));
        PartitionLedger restarted = new PartitionLedger(10, metadata);

        assertTrue(restarted.admit(10));
        assertFalse(restarted.admit(11), "recorded by the previous owner");
        assertTrue(restarted.admit(12));
        assertFalse(restarted.admit(13));
        assertFalse(restarted.admit(9), "below the committed offset");
        assertEquals(2, restarted.pendingCount());
    }

    @Test
    void withNothingPendingThePositionMovesPastSkippedRecords() {
        PartitionLedger ledger = new PartitionLedger(0, PartitionLedger.encode(0, new TreeSet<>(List.of(0L, 1L))));
        assertFalse(ledger.admit(0));
        assertFalse(ledger.admit(1));
        PartitionLedger.Plan plan = ledger.plan(List.of());
        assertEquals(2, plan.newBase());
        assertEquals(List.of(), PartitionLedger.decode(2, plan.metadata()));
        ledger.apply(plan);
        assertNull(ledger.plan(List.of()), "nothing changed, nothing to commit");
    }

    @Test
    void outcomesThatDoNotFitTheMetadataWaitForTheirTurn() {
        PartitionLedger ledger = new PartitionLedger(0, null);
        // Offset 0 never finishes; every other one does, spread far apart so the gaps are long.
        for (long o = 0; o < 5_000; o++) {
            ledger.admit(o * 1_000_000);
        }
        List<Long> finished = LongStream.range(1, 5_000).map(o -> o * 1_000_000).boxed().toList();
        PartitionLedger.Plan plan = ledger.plan(finished);
        assertTrue(plan.metadata().length() <= PartitionLedger.MAX_METADATA_CHARS, "fits the broker's limit");
        assertTrue(plan.offsets().size() < finished.size(), "some outcomes wait");
        assertEquals(finished.subList(0, plan.offsets().size()), plan.offsets(), "the lowest ones go first");
        assertEquals(0, plan.newBase());
    }

    @Test
    void ignoresMetadataItDidNotWrite() {
        assertEquals(List.of(), PartitionLedger.decode(5, "written by someone else"));
        assertEquals(List.of(), PartitionLedger.decode(5, "g1:zz,not-a-number"));
        assertEquals(List.of(), PartitionLedger.decode(5, ""));
    }
}
