package io.connectorgateway.gateway.audit;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Audit search and tail over records on the real topics, as the stream and the greeting bot write them. */
@ExtendWith(KafkaBrokerExtension.class)
class AuditSearchBrokerTest {
    static final long T = 1_750_000_000_000L;
    /** A tenant whose partition is acme's (so its records are applied in order with acme's). */
    static String NEIGHBOUR;
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        int acme = io.connectorgateway.contracts.topic.TenantPartitioner.partition("acme", s.topics.partitions());
        for (int i = 0; NEIGHBOUR == null; i++) {
            if (io.connectorgateway.contracts.topic.TenantPartitioner.partition("neighbour" + i, s.topics.partitions()) == acme) {
                NEIGHBOUR = "neighbour" + i;
            }
        }
        // a1..a7 for acme, newest last; a2 twice (a redelivery); one globex record in the same room id.
        publish(rec("a1", "acme", AuditKind.ROOM_OPENED, T + 1, null, "rA", "m1", "u1", Connector.LINE, null));
        publish(rec("a2", "acme", AuditKind.DELIVERED, T + 2, "e1", "rA", "m1", "u1", Connector.LINE, null));
        history(new HistoryEntry(1, "e1", "acme", Connector.LINE, Direction.INBOUND, "rA", "m1", "u1", T + 2, "hello there",
                List.of(Attachment.of(AttachmentKind.IMAGE)), AuditKind.DELIVERED, false));
        // Another tenant on acme's partition writes entries for the same event ids after acme did (a
        // tenant that chooses its own ids, or an earlier release keyed by event id alone): an unsent
        // one for e1 and one with content for e4. Neither may touch acme's.
        history(new HistoryEntry(1, "e1", NEIGHBOUR, Connector.LINE, Direction.INBOUND, null, "m1", "u1", T + 2, null,
                List.of(), AuditKind.UNSENT, true));
        publish(rec("a3", "acme", AuditKind.DELIVERED, T + 3, "e2", "rA", "m1", "u1", Connector.LINE, null));
        HistoryEntry secret = new HistoryEntry(1, "e2", "acme", Connector.LINE, Direction.OUTBOUND, "rA", "m1", "u1", T + 3,
                "secret", List.of(), AuditKind.DELIVERED, false);
        history(secret);
        history(secret.asUnsent());
        publish(rec("a4", "acme", AuditKind.REFUSED, T + 4, "e3", null, "m2", "u2", Connector.WORKS, null));
        publish(rec("a5", "acme", AuditKind.ROOM_DROPPED, T + 5, null, "rA", "m1", "u1", Connector.LINE, null));
        publish(rec("a6", "acme", AuditKind.DELIVERED, T + 6, "e4", "rB", "m2", "u2", Connector.LINE, null));
        history(new HistoryEntry(1, "e4", "acme", Connector.LINE, Direction.INBOUND, "rB", "m2", "u2", T + 6, "bye",
                List.of(), AuditKind.DELIVERED, false));
        history(new HistoryEntry(1, "e4", NEIGHBOUR, Connector.LINE, Direction.INBOUND, null, "m2", "u2", T + 6,
                "neighbour words", List.of(), AuditKind.REFUSED, false));
        // last on the partition: once it shows, everything before it was applied
        history(new HistoryEntry(1, "e3", "acme", Connector.WORKS, Direction.INBOUND, null, "m2", "u2", T + 4,
                "outside words", List.of(), AuditKind.REFUSED, false));
        publish(rec("a7", "acme", AuditKind.MEMBERS_CHANGED, T + 7, "chg-1", null, null, null, Connector.LINE,
                Map.of("members", "m1,m3")));
        publish(rec("a2", "acme", AuditKind.DELIVERED, T + 2, "e1", "rA", "m1", "u1", Connector.LINE, null));
        publish(rec("g1", "globex", AuditKind.DELIVERED, T + 2, "g-e1", "rA", "m1", "u1", Connector.LINE, null));
        eventually("seven acme records searchable", () -> ids(search("")).size() == 7);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static AuditRecord rec(String id, String tenant, AuditKind kind, long ts, String eventId, String room, String member,
                           String user, Connector connector, Map<String, String> detail) {
        return new AuditRecord(1, id, tenant, connector, kind, "R3", "because " + id, 2L, ts, eventId, room, member, user,
                Direction.INBOUND, new Actor("policy-streams", Actor.Role.SYSTEM), null, List.of(), null, null, detail, null, null);
    }

    static void publish(AuditRecord r) {
        s.publish(s.topics.audit, r.tenant(), r);
    }

    static void history(HistoryEntry h) {
        s.publish(h.tenant(), s.topics.history, h.eventId(), h);
    }

    static JsonNode search(String query) {
        var a = s.call("GET", "/admin/v1/tenants/acme/audit" + query, s.acmeAuditorToken, null);
        assertEquals(200, a.status(), String.valueOf(a.body()));
        return a.body();
    }

    /** The ids of the records published above; the audit records of this test's own reads are left out. */
    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> {
            if (!i.get("kind").asText().equals(AuditKind.CONTENT_READ.name())) {
                out.add(i.get("auditId").asText());
            }
        });
        return out;
    }

    @Test
    void everyReadOfContentIsItselfAuditedWithWhoWhichFilterAndHowMany() {
        JsonNode page = search("?room=rA&limit=10");
        assertEquals(4, page.get("items").size());
        eventually("the read recorded on the intake", () -> s.readAll(s.topics.auditIntake).stream()
                .anyMatch(r -> "rA".equals(r.detail().get("filter.room")) && "10".equals(r.detail().get("filter.limit"))));
        AuditRecord read = s.readAll(s.topics.auditIntake).stream()
                .filter(r -> "rA".equals(r.detail().get("filter.room")) && "10".equals(r.detail().get("filter.limit")))
                .findFirst().orElseThrow();
        assertEquals(AuditKind.CONTENT_READ, read.kind());
        assertEquals("acme", read.tenant());
        assertEquals(new Actor("aude", Actor.Role.AUDITOR), read.actor());
        assertEquals("audit-search", read.detail().get("surface"));
        assertEquals("4", read.detail().get("results"));
        assertEquals("1", read.detail().get("withContent"), "a2 has text; a3 was unsent");
        assertNull(read.roomId(), "the filter is in detail: a search for the room finds the room, not the reads of it");
        // linked into the tenant's chain by the policy task like every intake record: searchable by the next auditor
        eventually("the read searchable", () -> search("?kind=CONTENT_READ").get("items").size() > 0);
        assertEquals("aude", search("?kind=CONTENT_READ").at("/items/0/actor/id").asText());
    }

    @Test
    void eachFilterNewestFirst() {
        assertEquals(List.of("a7", "a6", "a5", "a4", "a3", "a2", "a1"), ids(search("")));
        assertEquals(List.of("a5", "a3", "a2", "a1"), ids(search("?room=rA")));
        assertEquals(List.of("a7", "a5", "a3", "a2", "a1"), ids(search("?member=m1")));
        assertEquals(List.of("a7"), ids(search("?member=m3")), "a bulk members change is found by each member it lists");
        assertEquals(List.of("a6", "a4"), ids(search("?externalUser=u2")));
        assertEquals(List.of("a6", "a3", "a2"), ids(search("?kind=DELIVERED")));
        assertEquals(List.of("a5"), ids(search("?kind=room_dropped")));
        assertEquals(List.of("a4"), ids(search("?connector=WORKS")));
        assertEquals(List.of("a5", "a4", "a3", "a2"), ids(search("?from=" + (T + 2) + "&to=" + (T + 5))));
        assertEquals(List.of("a5", "a3"), ids(search("?room=rA&from=" + (T + 3))));
        assertEquals(List.of("a3", "a2"), ids(search("?room=rA&kind=DELIVERED&to="
                + java.time.Instant.ofEpochMilli(T + 4))));
        assertEquals(List.of(), ids(search("?room=rZ")));
    }

    @Test
    void conversationStaysSearchableAfterTheRoomWasDroppedAndUnsentLosesItsContent() {
        JsonNode page = search("?room=rA");
        assertEquals("ROOM_DROPPED", page.at("/items/0/kind").asText());
        JsonNode unsent = page.get("items").get(1);
        assertEquals("a3", unsent.get("auditId").asText());
        assertTrue(unsent.at("/message/unsent").asBoolean());
        assertTrue(unsent.at("/message/text").isMissingNode());
        assertEquals(0, unsent.at("/message/attachments").size());
        JsonNode said = page.get("items").get(2);
        assertEquals("hello there", said.at("/message/text").asText());
        assertFalse(said.at("/message/unsent").asBoolean());
        assertEquals("IMAGE", said.at("/message/attachments/0/kind").asText());
        assertFalse(search("").toString().contains("secret"));
    }

    /** History is scoped by tenant in the view: the same event id in another tenant is another message. */
    @Test
    void anotherTenantsEntryForTheSameEventIdNeverTouchesThisTenantsHistory() {
        eventually("acme's last history entry applied", () -> search("?kind=REFUSED").at("/items/0/message/text").asText()
                .equals("outside words"));
        JsonNode page = search("?room=rA");
        JsonNode said = page.get("items").get(2);
        assertEquals("a2", said.get("auditId").asText());
        assertEquals("hello there", said.at("/message/text").asText(), "acme's e1 is not unsent by the neighbour: " + said);
        assertFalse(said.at("/message/unsent").asBoolean());
        assertEquals("bye", search("?room=rB").at("/items/0/message/text").asText(), "acme's e4 is acme's");
        assertFalse(search("").toString().contains("neighbour words"));
    }

    @Test
    void pagesFollowTheCursorToTheEnd() {
        List<String> all = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            // up to T + 1 h: the records published above, not the audit records of this test's reads (now)
            JsonNode page = search("?limit=3&to=" + (T + 3_600_000) + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(ids(page));
            sizes.add(page.get("items").size());
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertEquals(List.of("a7", "a6", "a5", "a4", "a3", "a2", "a1"), all);
        assertEquals(List.of(3, 3, 1), sizes);

        JsonNode first = search("?member=m1&limit=2");
        assertEquals(List.of("a7", "a5"), ids(first));
        JsonNode second = search("?member=m1&limit=2&cursor=" + first.get("nextCursor").asText());
        assertEquals(List.of("a3", "a2"), ids(second));
        JsonNode last = search("?member=m1&limit=2&cursor=" + second.get("nextCursor").asText());
        assertEquals(List.of("a1"), ids(last));
        assertNull(last.get("nextCursor"));

        assertEquals(400, s.call("GET", "/admin/v1/tenants/acme/audit?cursor=bm90LWEtY3Vyc29y", s.acmeAuditorToken, null).status());
        assertEquals(400, s.call("GET", "/admin/v1/tenants/acme/audit?limit=0", s.acmeAuditorToken, null).status());
        assertEquals(400, s.call("GET", "/admin/v1/tenants/acme/audit?kind=NOPE", s.acmeAuditorToken, null).status());
        assertEquals(400, s.call("GET", "/admin/v1/tenants/acme/audit?from=yesterday", s.acmeAuditorToken, null).status());
    }

    @Test
    void tailFollowsNewRecordsWithTheSameFilters() {
        var start = s.call("GET", "/admin/v1/tenants/acme/audit:tail", s.acmeAuditorToken, null);
        assertEquals(200, start.status());
        assertEquals(List.of(), ids(start.body()));
        String cursor = start.body().get("cursor").asText();

        publish(rec("n1", "acme", AuditKind.DELIVERED, T + 100, "e9", "rC", "m9", "u9", Connector.LINE, null));
        publish(rec("n2", "acme", AuditKind.REFUSED, T + 101, "e8", null, "m8", "u8", Connector.LINE, null));
        publish(rec("n3", "globex", AuditKind.DELIVERED, T + 102, "e7", "rC", "m9", "u9", Connector.LINE, null));

        var m9 = s.call("GET", "/admin/v1/tenants/acme/audit:tail?member=m9&waitSeconds=20&cursor=" + cursor, s.acmeAuditorToken, null);
        assertEquals(List.of("n1"), ids(m9.body()));

        List<String> seen = new ArrayList<>();
        String position = cursor;
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            JsonNode page = s.call("GET", "/admin/v1/tenants/acme/audit:tail?waitSeconds=5&cursor=" + position, s.acmeAuditorToken, null).body();
            seen.addAll(ids(page));
            position = page.get("cursor").asText();
        }
        assertEquals(List.of("n1", "n2"), seen, "acme's new records only, each once");
        JsonNode quiet = s.call("GET", "/admin/v1/tenants/acme/audit:tail?waitSeconds=1&cursor=" + position, s.acmeAuditorToken, null).body();
        assertEquals(List.of(), ids(quiet), "nothing new (but the trail of this test's own searches)");
        assertFalse(quiet.get("gap").asBoolean());
    }
}
