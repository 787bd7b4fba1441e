package io.connectorgateway.greeting.consume;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which offsets of one assigned partition have their outcome recorded, so that progress can be
 * committed while commands finish out of order (one tenant's slow retries must not hold back the
 * outcomes of other tenants on the same partition).
 *
 * <p>The committed offset is the lowest offset whose outcome is not yet recorded. Offsets above
 * it that are recorded already travel in the committed offset's metadata (as gaps, in base 36),
 * in the same transaction as their audit records; after a restart or rebalance they are skipped,
 * so no command gets a second audit record. The metadata has a size limit on the broker
 * ({@code offset.metadata.max.bytes}, 4096 by default): outcomes that would not fit wait until
 * the committed offset has moved.
 *
 * <p>Used by the consumer thread only.
 */
final class PartitionLedger {
    static final String FORMAT = "g1:";
    static final int MAX_METADATA_CHARS = 3_000;

    private long base;
    private long next;
    private final TreeSet<Long> recorded = new TreeSet<>();
    private final TreeSet<Long> pending = new TreeSet<>();

    /**
     * @param committed the committed offset (or the reset position when none is committed)
     * @param metadata  the committed offset's metadata, null when none
     */
    PartitionLedger(long committed, String metadata) {
        this.base = committed;
        this.next = committed;
        recorded.addAll(decode(committed, metadata));
    }

    /**
     * Registers a polled record. False when its outcome was recorded before (by this or an
     * earlier owner of the partition): it must not be processed again.
     */
    boolean admit(long offset) {
        next = Math.max(next, offset + 1);
        if (offset < base || recorded.contains(offset)) {
            return false;
        }
        pending.add(offset);
        return true;
    }

    long committed() {
        return base;
    }

    int pendingCount() {
        return pending.size();
    }

    /** What committing would look like if the outcomes at {@code offsets} were recorded now. */
    record Plan(List<Long> offsets, long newBase, String metadata) {
    }

    /**
     * The largest prefix (by offset) of {@code ready} that can be recorded with its metadata
     * within the limit, and the commit that goes with it; null when there is nothing to commit.
     */
    Plan plan(Collection<Long> ready) {
        if (ready.isEmpty()) {
            long newBase = pending.isEmpty() ? next : pending.first();
            return newBase == base ? null : planFor(List.of());
        }
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ready));
        Plan all = planFor(sorted);
        if (all.metadata().length() <= MAX_METADATA_CHARS) {
            return all;
        }
        // Too many finished offsets above a slow one: take the longest prefix that fits
        // (binary search; the length grows with the prefix).
        int lo = 0;
        int hi = sorted.size() - 1;
        Plan best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Plan candidate = planFor(sorted.subList(0, mid));
            if (candidate.metadata().length() <= MAX_METADATA_CHARS) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best == null || (best.offsets().isEmpty() && best.newBase() == base) ? null : best;
    }

    private Plan planFor(List<Long> take) {
        long newBase = next;
        for (long p : pending) {
            if (java.util.Collections.binarySearch(take, p) < 0) {
                newBase = p;
                break;
            }
        }
        TreeSet<Long> newRecorded = new TreeSet<>(recorded.tailSet(newBase, true));
        for (long t : take) {
            if (t >= newBase) {
                newRecorded.add(t);
            }
        }
        return new Plan(List.copyOf(take), newBase, encode(newBase, newRecorded));
    }

    /** The plan's transaction committed. */
    void apply(Plan plan) {
        pending.removeAll(plan.offsets());
        recorded.addAll(plan.offsets());
        base = plan.newBase();
        recorded.headSet(base).clear();
    }

    static String encode(long base, NavigableSet<Long> above) {
        StringBuilder sb = new StringBuilder(FORMAT);
        long previous = base;
        boolean first = true;
        for (long o : above) {
            if (!first) {
                sb.append(',');
            }
            sb.append(Long.toString(o - previous, 36));
            previous = o;
            first = false;
        }
        return sb.toString();
    }

    static List<Long> decode(long base, String metadata) {
        List<Long> offsets = new ArrayList<>();
        if (metadata == null || !metadata.startsWith(FORMAT) || metadata.length() == FORMAT.length()) {
            return offsets;
        }
        long previous = base;
        try {
            for (String gap : metadata.substring(FORMAT.length()).split(",")) {
                previous += Long.parseLong(gap, 36);
                offsets.add(previous);
            }
        } catch (NumberFormatException e) {
            // Metadata we did not write: ignore it (at worst an outcome is recorded twice).
            return List.of();
        }
        return offsets;
    }
}
