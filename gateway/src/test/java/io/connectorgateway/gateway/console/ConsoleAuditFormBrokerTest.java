package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin Audit in the console against a real gateway on a real broker, as a browser without scripts
 * uses it: the search form's filters and pages, a room's conversation (dropped, unsent, stripped,
 * blocked), the streamed exports of several thousand records, the audit record of every read, and
 * who may open it. The records are on the real topics as the policy stream writes them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleAuditFormBrokerTest {
    static final long T = 1_760_000_000_000L;
    static final int BULK = 3000;
    static final Pattern ROW = Pattern.compile("<tr data-audit-id=\"([^\"]+)\"");
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        // room rA: opened, u1 writes (text + photo), the member answers, a photo stripped, a message
        // blocked, an answer unsent, then the room is dropped
        s.audit(rec("c1", AuditKind.ROOM_OPENED, 1, null, "rA", null, Map.of()));
        message("c2", AuditKind.DELIVERED, 2, "e2", Direction.INBOUND, "hello, \"gateway\"", List.of(Attachment.of(AttachmentKind.IMAGE)), Map.of());
        message("c3", AuditKind.DELIVERED, 3, "e3", Direction.OUTBOUND, "=HYPERLINK(\"http://evil\")", List.of(), Map.of());
        message("c4", AuditKind.STRIPPED, 4, "e4", Direction.INBOUND, "see the photo",
                List.of(new Attachment(AttachmentKind.IMAGE, "cat.jpg", 10L, "ref")), Map.of("strippedKinds", "IMAGE"));
        message("c5", AuditKind.BLOCKED, 5, "e5", Direction.OUTBOUND, "the contract",
                List.of(new Attachment(AttachmentKind.FILE, "contract.pdf", 10L, "ref")), Map.of("blockedKinds", "FILE"));
        message("c6", AuditKind.DELIVERED, 6, "e6", Direction.OUTBOUND, "taken back words", List.of(), Map.of());
        s.history(new HistoryEntry(1, "e6", "acme", Connector.LINE, Direction.OUTBOUND, "rA", "m1", "u1", T + 6, null, List.of(),
                AuditKind.DELIVERED, true));
        s.audit(rec("c7", AuditKind.UNSENT, 7, "e7", "rA", Direction.OUTBOUND, Map.of("targetEventId", "e6")));
        s.audit(rec("c8", AuditKind.ROOM_DROPPED, 8, null, "rA", null, Map.of("dropReason", "CONNECTOR_DISABLED")));
        // several thousand records of member bulk-m (WORKS), for paging and the streamed export
        for (int i = 0; i < BULK; i++) {
            s.audit(new AuditRecord(1, String.format("b%05d", i), "acme", Connector.WORKS, AuditKind.REFUSED, "R3",
                    i == 0 ? "-1+2,\"quoted\"\nnext line" : "not permitted " + i, 2L, T + 1000 + i, null, null, "bulk-m",
                    "bulk-u", Direction.INBOUND, new Actor("policy-streams", Actor.Role.SYSTEM), null, List.of(), null, null,
                    Map.of(), null, null));
        }
        s.audit(new AuditRecord(1, "g1", "globex", Connector.LINE, AuditKind.DELIVERED, "R5b", "globex's", 2L, T + 2, "g-e1", "rA",
                "m1", "u1", Direction.INBOUND, new Actor("policy-streams", Actor.Role.SYSTEM), null, List.of(), null, null,
                Map.of(), null, null));
        eventually("everything searchable", () -> api("?member=bulk-m&limit=1").at("/items/0/auditId").asText()
                .equals(String.format("b%05d", BULK - 1)) && api("?room=rA&limit=1").at("/items/0/auditId").asText().equals("c8")
                && api("?room=rA&kind=DELIVERED").toString().contains("\"unsent\":true"));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static AuditRecord rec(String id, AuditKind kind, long at, String event, String room, Direction d, Map<String, String> detail) {
        return new AuditRecord(1, id, "acme", Connector.LINE, kind, "R5b", "because " + id, 2L, T + at, event, room, "m1", "u1", d,
                new Actor("policy-streams", Actor.Role.SYSTEM), null, List.of(), null, null, detail, null, null);
    }

    static void message(String id, AuditKind kind, long at, String event, Direction d, String text, List<Attachment> attachments,
                        Map<String, String> detail) {
        s.audit(rec(id, kind, at, event, "rA", d, detail));
        s.history(new HistoryEntry(1, event, "acme", Connector.LINE, d, "rA", "m1", "u1", T + at, text, attachments, kind, false));
    }

    static JsonNode api(String query) {
        var a = s.call("GET", "/admin/v1/tenants/acme/audit" + query, s.acmeAuditorToken, null);
        assertEquals(200, a.status(), String.valueOf(a.body()));
        return a.body();
    }

    static ConsoleClient auditor() {
        ConsoleClient b = new ConsoleClient(s.url());
        assertEquals(303, b.signIn(s.acmeAuditorToken).statusCode());
        return b;
    }

    static List<String> rows(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            if (!m.group(1).startsWith("content-read:")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The content reads this test's console made through {@code surface}, as on the intake. */
    static List<AuditRecord> reads(String surface) {
        return s.readAll(s.topics.auditIntake).stream()
                .filter(r -> r.kind() == AuditKind.CONTENT_READ && surface.equals(r.detail().get("surface"))).toList();
    }

    @Test
    void theFiltersFindWhatTheApiFindsNewestFirst() {
        ConsoleClient b = auditor();
        var page = b.get("/console/tenants/acme/audit?room=rA");
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("<script"), "no script");
        assertEquals(List.of("c8", "c7", "c6", "c5", "c4", "c3", "c2", "c1"), rows(page.body()));
        assertEquals(List.of("c5"), rows(b.get("/console/tenants/acme/audit?room=rA&kind=BLOCKED").body()));
        assertEquals(List.of("c6", "c3", "c2"), rows(b.get("/console/tenants/acme/audit?member=m1&kind=DELIVERED").body()));
        assertEquals(List.of("c4", "c3"), rows(b.get("/console/tenants/acme/audit?externalUser=u1&from="
                + java.time.Instant.ofEpochMilli(T + 3) + "&to=" + (T + 4)).body()));
        // the form's datetime-local fields are UTC, the end of the range takes in its whole minute:
        // the bulk records are at 08:53:21..24 UTC, so "to 08:53" finds them and "to 08:52" does not
        String minute = java.time.LocalDateTime.ofEpochSecond((T + 1000) / 1000, 0, java.time.ZoneOffset.UTC)
                .withSecond(0).toString();
        assertEquals("2025-10-09T08:53", minute);
        List<String> inMinute = rows(b.get("/console/tenants/acme/audit?member=bulk-m&from=" + minute + "&to=" + minute).body());
        assertEquals(50, inMinute.size());
        assertTrue(inMinute.stream().allMatch(id -> id.startsWith("b")));
        assertEquals(List.of(), rows(b.get("/console/tenants/acme/audit?member=bulk-m&to=2025-10-09T08:52").body()));
        assertEquals(List.of(), rows(b.get("/console/tenants/acme/audit?room=rZ").body()));
        assertFalse(b.get("/console/tenants/acme/audit?room=rA").body().contains("g-e1"), "globex's record is not acme's");
        // the form shows the filter it ran
        String filtered = b.get("/console/tenants/acme/audit?room=rA&kind=BLOCKED").body();
        assertTrue(filtered.contains("id=\"f-room\" name=\"room\" value=\"rA\""), filtered);
        assertTrue(filtered.contains("<option value=\"BLOCKED\" selected>"), filtered);
        // a bad value: the form again, with the service's message, and nothing read
        var bad = b.get("/console/tenants/acme/audit?kind=NOPE&room=rA");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("unknown kind &#39;NOPE&#39;") || bad.body().contains("unknown kind 'NOPE'"), bad.body());
        assertEquals(List.of(), rows(bad.body()));
    }

    @Test
    void pagesFollowTheSearchCursorToTheEnd() {
        ConsoleClient b = auditor();
        List<String> seen = new ArrayList<>();
        String next = "/console/tenants/acme/audit?member=bulk-m";
        for (int p = 0; p < 3; p++) {
            String html = b.get(next).body();
            List<String> ids = rows(html);
            assertEquals(50, ids.size(), "page " + p);
            seen.addAll(ids);
            Matcher m = Pattern.compile("href=\"([^\"]+)\" id=\"next-page\"").matcher(html);
            assertTrue(m.find(), "a next page");
            next = m.group(1).replace("&amp;", "&");
            assertTrue(next.contains("member=bulk-m") && next.contains("cursor="), next);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expected.add(String.format("b%05d", BULK - 1 - i));
        }
        assertEquals(expected, seen, "newest first, no gap, no repeat");
        assertTrue(b.get(next).body().contains("id=\"newest\""), "an older page links back to the newest");
        assertEquals(400, b.get("/console/tenants/acme/audit?cursor=bm90LWEtY3Vyc29y").statusCode(), "a cursor the index never made");
    }

    @Test
    void theConversationOfADroppedRoomInChatFormUnsentWithoutContent() {
        ConsoleClient b = auditor();
        var page = b.get("/console/tenants/acme/audit/rooms/rA");
        assertEquals(200, page.statusCode());
        String html = page.body();
        // oldest first, as a chat reads
        List<String> kinds = new ArrayList<>();
        Matcher m = Pattern.compile("<li class=\"(bubble mine|bubble theirs|note)\" data-kind=\"([A-Z_]+)\"").matcher(html);
        while (m.find()) {
            kinds.add(m.group(1) + " " + m.group(2));
        }
        assertEquals(List.of("note ROOM_OPENED", "bubble theirs DELIVERED", "bubble mine DELIVERED", "bubble theirs STRIPPED",
                "bubble mine BLOCKED", "bubble mine DELIVERED", "note UNSENT", "note ROOM_DROPPED"), kinds);
        assertTrue(html.contains("id=\"room-dropped\""), "the room was deleted, and says why");
        assertTrue(html.contains("connector not allowed"));
        assertTrue(html.contains("<p class=\"text\">hello, \"gateway\"</p>"), html);
        assertFalse(html.contains("taken back words"), "the unsent message's content is not shown");
        assertTrue(html.contains(">Unsent</span>"));
        assertTrue(html.contains("class=\"marker stripped\""), "the stripped photo is marked");
        assertTrue(html.contains("cat.jpg"));
        assertTrue(html.contains("class=\"marker blocked\""), "the blocked file is marked");
        assertFalse(html.contains("<script"));

        eventually("the conversation read audited", () -> !reads("console-conversation").isEmpty());
        AuditRecord read = reads("console-conversation").get(0);
        assertEquals(new Actor("aude", Actor.Role.AUDITOR), read.actor());
        assertEquals("acme", read.tenant());
        assertEquals("rA", read.detail().get("filter.room"));
        assertEquals("8", read.detail().get("results"));
        assertEquals("4", read.detail().get("withContent"), "c2, c3, c4, c5 carry content; c6 was unsent");
        assertEquals(null, read.roomId(), "as the API's: the filter in detail only");
    }

    @Test
    void theExportsAreStreamedPageByPageEscapedAndEachPageAudited() throws Exception {
        ConsoleClient b = auditor();
        HttpResponse<String> csv = b.get("/console/tenants/acme/audit/export?member=bulk-m&format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("")
                .matches("attachment; filename=\"audit-acme-\\d{8}T\\d{6}Z\\.csv\""), csv.headers().map().toString());
        assertTrue(csv.headers().firstValue("Content-Length").isEmpty(), "streamed, not sized in memory first");
        String body = csv.body();
        assertTrue(body.startsWith("\uFEFFtime,auditId,kind,"), body.substring(0, 40));
        List<String> lines = List.of(body.substring(1).split("\r\n(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"));
        assertEquals(BULK + 1, lines.size(), "the header and every record");
        assertTrue(lines.get(1).contains(String.format("b%05d", BULK - 1)), "newest first: " + lines.get(1));
        String oldest = lines.get(BULK);
        assertTrue(oldest.contains(",b00000,"), oldest);
        assertTrue(oldest.contains(",\"'-1+2,\"\"quoted\"\"\nnext line\","), "a formula defused, then quoted: " + oldest);
        eventually("six pages audited", () -> reads("console-export:csv").size() == 6);
        assertEquals(List.of("500", "500", "500", "500", "500", "500"),
                reads("console-export:csv").stream().map(r -> r.detail().get("results")).toList());
        assertTrue(reads("console-export:csv").stream().allMatch(r -> "bulk-m".equals(r.detail().get("filter.member"))
                && r.actor().equals(new Actor("aude", Actor.Role.AUDITOR))));

        // a message cell that looks like a formula, and the same rows as JSON Lines, item for item the API's
        String room = b.get("/console/tenants/acme/audit/export?room=rA&format=csv").body();
        assertTrue(room.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","), room);
        assertFalse(room.contains("taken back words"));
        HttpResponse<String> jsonl = b.get("/console/tenants/acme/audit/export?room=rA&format=jsonl");
        assertTrue(jsonl.headers().firstValue("Content-Disposition").orElse("").endsWith(".jsonl\""));
        List<JsonNode> items = new ArrayList<>();
        for (String line : jsonl.body().split("\n")) {
            items.add(Json.mapper().readTree(line));
        }
        List<JsonNode> fromApi = new ArrayList<>();
        api("?room=rA").get("items").forEach(fromApi::add);
        assertEquals(fromApi, items);
        assertEquals(400, b.get("/console/tenants/acme/audit/export?format=xlsx").statusCode());
    }

    @Test
    void onlyAuditorsAndOperatorsOfTheTenantReadTheTrail() {
        ConsoleClient admin = new ConsoleClient(s.url());
        admin.signIn(s.acmeToken);
        for (String path : List.of("/console/tenants/acme/audit", "/console/tenants/acme/audit/rooms/rA",
                "/console/tenants/acme/audit/export?format=csv")) {
            var refused = admin.get(path);
            assertEquals(403, refused.statusCode(), path);
            assertFalse(refused.body().contains("hello"), path);
        }
        ConsoleClient globex = new ConsoleClient(s.url());
        globex.signIn(s.globexAuditorToken);
        var other = globex.get("/console/tenants/acme/audit/rooms/rA");
        assertEquals(403, other.statusCode());
        assertFalse(other.body().contains("hello"));
        ConsoleClient operator = new ConsoleClient(s.url());
        operator.signIn(s.operatorToken);
        assertTrue(operator.get("/console/tenants/acme/audit/rooms/rA").body().contains("see the photo"));
        String ja = auditor().header("Accept-Language", "ja").get("/console/tenants/acme/audit?room=rA").body();
        for (String label : List.of("監査/ログ", "メンバー", "外部ユーザー", "トークルーム", "検索", "トークルーム削除")) {
            assertTrue(ja.contains(label), label);
        }
    }
}
