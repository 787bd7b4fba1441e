package io.connectorgateway.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's paging rules, without a broker. */
class AuditStoreTest {
    static AuditRecord rec(int i, String member, AuditKind kind) {
        return new AuditRecord(1, "id-" + i, "acme", Connector.LINE, kind, "R2", null, 1L, 1000L + i, "e" + i, "room-" + (i % 3),
                member, "u" + i, null, Actor.system("test"), null, List.of(), null, null, null, null, null);
    }

    static AuditQuery all() {
        return new AuditQuery("acme", null, null, null, null, null, null, null);
    }

    @Test
    void aSparseFilterStopsAtTheScanBudgetAndTheCursorResumesWithoutLosingMatches(@TempDir Path dir) throws Exception {
        try (AuditStore store = new AuditStore(dir)) {
            List<AuditRecord> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(rec(i, "m" + i, i % 10 == 0 ? AuditKind.REFUSED : AuditKind.DELIVERED));
            }
            store.apply(records, List.of(), Map.of("audit|0", 100L));
            // Room index, kind checked per record, with a tiny budget: most entries examined do not match.
            AuditQuery refused = new AuditQuery("acme", "room-0", null, null, AuditKind.REFUSED, null, null, null);
            List<String> found = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            boolean sawBudget = false;
            do {
                AuditIndex.Page p = store.search(refused, 50, cursor, 7);
                p.hits().forEach(h -> found.add(h.record().auditId()));
                sawBudget |= p.budgetExhausted();
                cursor = p.cursor();
                pages++;
            } while (cursor != null && pages < 100);
            assertTrue(sawBudget);
            List<String> expected = new ArrayList<>();
            for (int i = 99; i >= 0; i--) {
                if (i % 10 == 0 && i % 3 == 0) {
                    expected.add("id-" + i);
                }
            }
            assertEquals(expected, found);
            assertEquals(100L, store.checkpoint("audit|0"));
            assertNull(store.checkpoint("audit|1"));
        }
    }

    @Test
    void aRedeliveredRecordIsStoredOnceAndForeignCursorsAreRefused(@TempDir Path dir) throws Exception {
        try (AuditStore store = new AuditStore(dir)) {
            store.apply(List.of(rec(1, "m1", AuditKind.DELIVERED), rec(1, "m1", AuditKind.DELIVERED)), List.of(), Map.of());
            store.apply(List.of(rec(1, "m1", AuditKind.DELIVERED), rec(2, "m1", AuditKind.DELIVERED)), List.of(), Map.of());
            AuditIndex.Page page = store.search(all(), 10, null, 1000);
            assertEquals(List.of("id-2", "id-1"), page.hits().stream().map(h -> h.record().auditId()).toList());
            AuditIndex.Page first = store.search(all(), 1, null, 1000);
            assertNotNull(first.cursor());
            assertEquals("id-1", store.search(all(), 1, first.cursor(), 1000).hits().get(0).record().auditId());
            assertThrows(IllegalArgumentException.class, () -> store.search(all(), 1, "!!", 1000));
            assertThrows(IllegalArgumentException.class, () -> store.search(all(), 1, "YWJj", 1000));
        }
    }
}
