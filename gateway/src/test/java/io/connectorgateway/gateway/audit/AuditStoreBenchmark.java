package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Benchmark (not a test): loads N audit records (default 1,000,000) into an {@link AuditStore}
 * and times first pages and deep pages for every filter. Surefire does not pick it up by name;
 * run it on purpose (results in target/surefire-reports/...AuditStoreBenchmark-output.txt):
 * <pre>
 * mvn -B -ntp -pl gateway -am verify -Dtest=AuditStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.records=1000000
 * </pre>
 */
class AuditStoreBenchmark {
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "benchmark.records", matches = "\\d+")
    void run() throws Exception {
        main(new String[] {System.getProperty("benchmark.records")});
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("audit-bench");
        Random random = new Random(42);
        AuditKind[] kinds = {AuditKind.DELIVERED, AuditKind.DELIVERED, AuditKind.DELIVERED, AuditKind.REFUSED,
            AuditKind.STRIPPED, AuditKind.ROOM_OPENED, AuditKind.ROOM_DROPPED, AuditKind.GREETING_SENT};
        long t0 = System.nanoTime();
        long base = 1_700_000_000_000L;
        try (AuditStore store = new AuditStore(dir)) {
            List<AuditRecord> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int tenant = random.nextInt(10);
                int room = random.nextInt(20_000);
                batch.add(new AuditRecord(1, "audit-" + i, "tenant" + tenant, Connector.LINE, kinds[random.nextInt(kinds.length)],
                        "R3", "reason", 7L, base + i * 10L, "ev-" + i, "room" + room, "member" + (room % 5_000),
                        "user" + room, Direction.INBOUND, Actor.system("bench"), "ab12", List.of(), null, null, null, null, null));
                if (batch.size() == 2_000) {
                    store.apply(batch, List.of(), Map.of("bench|0", (long) i));
                    batch.clear();
                }
            }
            store.apply(batch, List.of(), Map.of());
            System.out.printf("loaded %,d records in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);

            time(store, "newest 50, no filter", i -> q(i, null, null, null, null, null));
            time(store, "by room", i -> q(i, "room" + i, null, null, null, null));
            time(store, "by member", i -> q(i, null, "member" + i, null, null, null));
            time(store, "by external user", i -> q(i, null, null, "user" + i, null, null));
            time(store, "by kind ROOM_DROPPED", i -> q(i, null, null, null, AuditKind.ROOM_DROPPED, null));
            time(store, "time range (1 day back)", i -> q(i, null, null, null, null, base + (long) n * 5));
            time(store, "member + kind REFUSED", i -> q(i, null, "member" + i, null, AuditKind.REFUSED, null));
            deep(store);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static AuditQuery q(int i, String room, String member, String user, AuditKind kind, Long to) {
        return new AuditQuery("tenant" + (i % 10), room, member, user, kind, null, null, to);
    }

    private static void time(AuditStore store, String name, IntFunction<AuditQuery> query) {
        int runs = 2_000;
        long[] nanos = new long[runs];
        int hits = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            hits += store.search(query.apply(i), 50, null, 200_000).hits().size();
            nanos[i] = System.nanoTime() - t;
        }
        if (hits == 0) {
            throw new IllegalStateException(name + " found nothing: the benchmark would measure empty scans");
        }
        Arrays.sort(nanos);
        System.out.printf("%-28s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (avg %.1f hits)%n", name,
                nanos[runs / 2] / 1e6, nanos[runs * 99 / 100] / 1e6, nanos[runs - 1] / 1e6, hits / (double) runs);
    }

    private static void deep(AuditStore store) {
        long t = System.nanoTime();
        String cursor = null;
        int pages = 0;
        do {
            cursor = store.search(q(0, null, null, null, null, null), 100, cursor, 200_000).cursor();
            pages++;
        } while (cursor != null && pages < 200);
        System.out.printf("%-28s %d pages of 100 in %.1f ms (%.3f ms/page)%n", "paging tenant0", pages,
                (System.nanoTime() - t) / 1e6, (System.nanoTime() - t) / 1e6 / pages);
    }
}
