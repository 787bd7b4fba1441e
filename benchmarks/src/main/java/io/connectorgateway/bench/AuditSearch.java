package io.connectorgateway.bench;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.gateway.audit.AuditQuery;
import io.connectorgateway.gateway.audit.AuditStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 6: the gateway's audit search index ({@link AuditStore}: the {@code AuditIndex} that
 * {@code GET /admin/audit} runs, here in a plain RocksDB instead of the view application's store)
 * loaded with N audit records (10 tenants, 20,000 rooms, 5,000 members), then 2,000 first pages of
 * 50 per filter, and deep paging. Loading goes through the store's batch apply.
 */
final class AuditSearch {
    static final String NAME = "6 audit search";
    private static final int RUNS = 2_000;
    private static final long BASE = 1_700_000_000_000L;

    private final Bench bench;

    AuditSearch(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int n = bench.profile.auditRecords();
        Path dir = Files.createDirectories(bench.workDir.resolve("audit-store"));
        Random random = new Random(42);
        AuditKind[] kinds = {AuditKind.DELIVERED, AuditKind.DELIVERED, AuditKind.DELIVERED, AuditKind.REFUSED,
            AuditKind.STRIPPED, AuditKind.ROOM_OPENED, AuditKind.ROOM_DROPPED, AuditKind.GREETING_SENT};
        long t0 = System.nanoTime();
        try (AuditStore store = new AuditStore(dir)) {
            List<AuditRecord> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int tenant = random.nextInt(10);
                int room = random.nextInt(20_000);
                batch.add(AuditRecord.builder("audit-" + i, "tenant" + tenant, kinds[random.nextInt(kinds.length)], "R3")
                        .connector(Connector.LINE).reason("reason").settingsVersion(7L).at(BASE + i * 10L).cause("ev-" + i)
                        .room("room" + room).member("member" + (room % 5_000)).externalUser("user" + room)
                        .direction(Direction.INBOUND).actor(Actor.system("bench")).contentDigest("ab12")
                        .build());
                if (batch.size() == 2_000) {
                    store.apply(batch, List.of(), Map.of("bench|0", (long) i));
                    batch.clear();
                }
            }
            store.apply(batch, List.of(), Map.of());
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            String size = String.format("%,d records", n);
            bench.record(NAME, "load " + size, "records/s", n / loadSeconds, "records/s", "one thread, batches of 2,000");

            Histogram all = new Histogram(60_000_000L, 3);
            time(store, all, "newest 50, no filter", i -> q(i, null, null, null, null, null));
            time(store, all, "by room", i -> q(i, "room" + i, null, null, null, null));
            time(store, all, "by member", i -> q(i, null, "member" + i, null, null, null));
            time(store, all, "by external user", i -> q(i, null, null, "user" + i, null, null));
            time(store, all, "by kind ROOM_DROPPED", i -> q(i, null, null, null, AuditKind.ROOM_DROPPED, null));
            time(store, all, "time range (to the middle)", i -> q(i, null, null, null, null, BASE + (long) n * 5));
            time(store, all, "member + kind REFUSED", i -> q(i, null, "member" + i, null, AuditKind.REFUSED, null));
            bench.record(NAME, "all filters, " + size, "p50", all.getValueAtPercentile(50) / 1000.0, "ms",
                    String.format("%,d queries, first page of 50", all.getTotalCount()));
            bench.record(NAME, "all filters, " + size, "p99", all.getValueAtPercentile(99) / 1000.0, "ms",
                    n == 1_000_000 ? "target < 50 ms" : "quick profile: fewer records than 1,000,000");
            deep(store);
        }
    }

    private static AuditQuery q(int i, String room, String member, String user, AuditKind kind, Long to) {
        return new AuditQuery("tenant" + (i % 10), room, member, user, kind, null, null, to);
    }

    private void time(AuditStore store, Histogram all, String name, IntFunction<AuditQuery> query) {
        Histogram h = new Histogram(60_000_000L, 3);
        int hits = 0;
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            hits += store.search(query.apply(i), 50, null, 200_000).hits().size();
            long micros = (System.nanoTime() - t) / 1000;
            h.recordValue(micros);
            all.recordValue(micros);
        }
        if (hits == 0) {
            throw new IllegalStateException(name + " found nothing: the benchmark would measure empty scans");
        }
        bench.record(NAME, name, "p50", h.getValueAtPercentile(50) / 1000.0, "ms",
                String.format("p99 %.2f ms; %,d queries, avg %.1f hits", h.getValueAtPercentile(99) / 1000.0, RUNS,
                        hits / (double) RUNS));
    }

    private void deep(AuditStore store) {
        long t = System.nanoTime();
        String cursor = null;
        int pages = 0;
        do {
            cursor = store.search(q(0, null, null, null, null, null), 100, cursor, 200_000).cursor();
            pages++;
        } while (cursor != null && pages < 200);
        bench.record(NAME, "paging tenant0, pages of 100", "per page", (System.nanoTime() - t) / 1e6 / pages, "ms",
                pages + " consecutive pages");
    }
}
