package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unsend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.policy.state.PolicyStores;
import io.connectorgateway.policy.state.SeenEvent;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 1: an id chosen by one tenant never touches another tenant's records. Both tenants
 * are on the driver's one partition, the worst case (on a broker they may share one as well).
 */
class TenantScopedIdsTest {
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    /**
     * Globex sends an UNSEND whose target is the id of an acme message (a tenant that signs its own
     * webhooks chooses its ids): acme's history entry, room and audit stay untouched; only a
     * globex-scoped key is written.
     */
    @Test
    void anUnsendNamingAnotherTenantsMessageIdNeverTouchesThatTenantsHistory() {
        p.twoLineTenantsWithRooms();
        p.event(message("acme-msg", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "acme's words"));
        Set<String> acmeKeys = p.historyRecords.stream().map(kv -> kv.key).collect(Collectors.toSet());
        List<AuditRecord> acmeAudit = p.audit.stream().filter(a -> a.tenant().equals("acme")).toList();
        int acmeRoomCommands = (int) p.rooms.stream().filter(r -> r.tenant().equals("acme")).count();

        p.clearOutputs().event(unsend("evil-un", "globex", "m1", "U1", Direction.INBOUND, "acme-msg"));

        for (KeyValue<String, HistoryEntry> kv : p.historyRecords) {
            assertFalse(acmeKeys.contains(kv.key), "globex wrote under acme's history key " + kv.key);
            assertTrue(kv.key.startsWith("globex:"), "every history key names its tenant: " + kv.key);
            assertEquals("globex", kv.value.tenant());
        }
        assertEquals(List.of("globex:LINE:acme-msg"), p.historyRecords.stream().map(kv -> kv.key).toList());
        assertTrue(p.audit.stream().allMatch(a -> a.tenant().equals("globex")), "no acme audit record: " + p.audit);
        assertTrue(p.rooms.isEmpty(), "no room command: " + p.rooms);
        assertEquals(2, acmeAudit.size(), "room opened, message delivered: " + acmeAudit);
        assertEquals(1, acmeRoomCommands);

        // acme's message is still acme's: its own unsend takes it back, under its own key
        p.clearOutputs().event(unsend("acme-un", "acme", "m1", "U1", Direction.INBOUND, "acme-msg"));
        assertEquals(List.of("acme:LINE:acme-msg"), p.historyRecords.stream().map(kv -> kv.key).toList());
        assertEquals(AuditKind.DELIVERED, p.history.get(0).decision(), "acme's own target was found: " + p.history);
    }

    /** The same event id in two tenants: two history keys, two delivery ids, two greeting ids. */
    @Test
    void derivedIdsAndHistoryKeysOfTheSameEventIdDifferByTenant() {
        p.settings(settings("acme", Connector.LINE).greeting("hi", "").build())
                .settings(settings("globex", Connector.LINE).greeting("hi", "").build())
                .member(granted("acme", Connector.LINE, "m1", "tok-a", 1))
                .member(granted("globex", Connector.LINE, "m1", "tok-g", 1))
                .event(friendAdd("same-fa", "acme", "m1", "U1", "tok-a"))
                .event(friendAdd("same-fa", "globex", "m1", "U1", "tok-g"))
                .event(message("same-msg", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "a"))
                .event(message("same-msg", "globex", Connector.LINE, "m1", "U1", Direction.INBOUND, "g"));

        assertEquals(2, p.greetings.size());
        assertNotEquals(p.greetings.get(0).commandId(), p.greetings.get(1).commandId(), "greeting ids (the LINE retry key)");
        assertEquals(2, p.deliveries.size());
        assertNotEquals(p.deliveries.get(0).deliveryId(), p.deliveries.get(1).deliveryId());
        assertEquals(List.of("acme:LINE:same-msg", "globex:LINE:same-msg"),
                p.historyRecords.stream().map(kv -> kv.key).toList());
    }

    /**
     * Upgrade: an earlier release wrote history under the event id alone. An unsend of a message that
     * release remembered for this tenant tombstones that old key too (this tenant wrote it last); when
     * another tenant reused the id afterwards, the old key holds that tenant's message and is left alone.
     */
    @Test
    void anUnsendTombstonesTheOldKeyOnlyWhenThisTenantWroteItLast() {
        p.twoLineTenantsWithRooms();
        WindowStore<String, SeenEvent> seen = p.driver.getWindowStore(PolicyStores.SEEN_EVENTS);
        seen.put("LINE:old-a", new SeenEvent("acme:LINE:m1:U1", EventType.MESSAGE, Direction.INBOUND, "rA",
                AuditKind.DELIVERED, Fixtures.T0), Fixtures.T0);
        seen.put("LINE:old-shared", new SeenEvent("acme:LINE:m1:U1", EventType.MESSAGE, Direction.INBOUND, "rA",
                AuditKind.DELIVERED, Fixtures.T0), Fixtures.T0);
        seen.put("LINE:old-shared", new SeenEvent("globex:LINE:m1:U1", EventType.MESSAGE, Direction.INBOUND, "rG",
                AuditKind.DELIVERED, Fixtures.T0 + 5), Fixtures.T0 + 5);

        p.clearOutputs().event(unsend("un-a", "acme", "m1", "U1", Direction.INBOUND, "old-a"));
        assertEquals(2, p.historyRecords.size(), "" + p.historyRecords);
        assertEquals("acme:LINE:old-a", p.historyRecords.get(0).key);
        assertEquals("old-a", p.historyRecords.get(1).key);
        assertNull(p.historyRecords.get(1).value, "the old key is tombstoned");

        p.clearOutputs().event(unsend("un-shared", "acme", "m1", "U1", Direction.INBOUND, "old-shared"));
        assertEquals(List.of("acme:LINE:old-shared"), p.historyRecords.stream().map(kv -> kv.key).toList(),
                "globex wrote the old key last: it is not acme's to tombstone");
    }
}
