package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The members pages ("Manage External Message Users") and the operator's plan page against a real
 * gateway on a real broker, as a browser without scripts uses them: the list with each member's
 * linkage status, Add from the tenant's members only, Delete and Reset all confirmed first, Reset
 * URL for one and several (the old URL stale at once, the new one leading to the channel), paging
 * of a few hundred members, the API's rules at the form, CSRF, and who may open what.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleMembersFormBrokerTest {
    static final String LINE = "/console/tenants/acme/members/LINE";
    static final Pattern ROW = Pattern.compile("<tr id=\"row-([^\"]+)\">");

    static AdminServer s;
    static MembersFixture f;
    static String satoLink;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        f = new MembersFixture(s);
        f.byMember("acme", Connector.LINE);
        f.joined("acme", List.of("sato", "tanaka", "suzuki", "kato", "ito", "left-one"));
        f.listed("acme", Connector.LINE, List.of("sato", "tanaka", "kato", "ito"));
        satoLink = f.lineChannel("acme", "sato", "1650001001");
        f.opened("acme", Connector.LINE, "sato", "u1");
        f.opened("acme", Connector.LINE, "sato", "u2");
        f.opened("acme", Connector.LINE, "tanaka", "u3");
        var left = io.connectorgateway.contracts.event.DirectoryEvent.of("dir-left", "acme", "left-one",
                io.connectorgateway.contracts.event.DirectoryEvent.Type.LEFT, System.currentTimeMillis());
        s.publish(s.topics.directoryEvents, left.key(), left);
        eventually("left-one to have left and three rooms open", () -> s.context.getBean(
                io.connectorgateway.gateway.admin.ControlView.class).left("acme", "left-one")
                && s.call("POST", "/admin/v1/tenants/acme/connectors/LINE/impact", s.acmeToken, Map.of("enabled", false))
                .body().get("roomsDropped").asInt() == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static ConsoleClient signedIn(String token) {
        ConsoleClient b = new ConsoleClient(s.url());
        assertEquals(303, b.signIn(token).statusCode());
        return b;
    }

    /** A post of the list page's form: its CSRF token, and the fields given. */
    static HttpResponse<String> post(ConsoleClient b, String page, Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(fields);
        form.putIfAbsent("csrf", ConsoleClient.csrf(b.get(page).body()));
        return b.post(LINE, form);
    }

    static List<String> rows(String html) {
        Matcher m = ROW.matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The HTML of the list row of {@code member}. */
    static String row(String html, String member) {
        int at = html.indexOf("<tr id=\"row-" + member + "\">");
        assertTrue(at >= 0, member + " not on the page");
        return html.substring(at, html.indexOf("</tr>", at));
    }

    @Test
    void theListShowsEachMembersLinkageStatusInBothLanguages() {
        ConsoleClient b = signedIn(s.acmeToken);
        var page = b.get(LINE);
        assertEquals(200, page.statusCode(), page.body());
        ConsoleFormBrokerTest.assertSecurityHeaders(page);
        assertFalse(page.body().toLowerCase().contains("<script"), "no scripts");
        assertFalse(page.body().contains(" style="), "no inline styles (CSP)");
        for (String label : List.of("Manage External Message Users", "NAVER WORKS", "Add", "Delete", "Reset URL",
                "Reset all URLs", "Friend-add URL", "LINE channel", "Open rooms")) {
            assertTrue(page.body().contains(label), label);
        }
        assertTrue(rows(page.body()).containsAll(List.of("ito", "kato", "sato", "tanaka")), page.body());
        assertFalse(rows(page.body()).contains("suzuki"), "not on the list");

        String sato = row(page.body(), "sato");
        String token = f.token("acme", "sato");
        assertTrue(sato.contains("https://friends.example.test/friend/acme/" + token), "the API's friend-add URL:\n" + sato);
        assertTrue(sato.contains("src=\"/friend/acme/" + token + "/qr.png\""), "the gateway's QR code, same origin (CSP)");
        assertTrue(sato.contains("Registered") && sato.contains("1650001001"), sato);
        assertTrue(sato.contains("id=\"rooms-sato\">2<"), sato);
        String tanaka = row(page.body(), "tanaka");
        assertTrue(tanaka.contains("Not registered") && tanaka.contains("id=\"rooms-tanaka\">1<"), tanaka);
        assertFalse(tanaka.contains("qr.png"), "no QR code for a URL that leads nowhere yet");
        assertTrue(tanaka.contains("<label for=\"m-tanaka\">"), "each box has a label");

        // the QR code the page shows is a real image of the current URL
        var qr = b.get("/friend/acme/" + token + "/qr.png");
        assertEquals(200, qr.statusCode());

        var ja = new ConsoleClient(s.url()).header("Accept-Language", "ja");
        assertEquals(303, ja.signIn(s.acmeToken).statusCode());
        String jaPage = ja.get(LINE).body();
        for (String label : List.of("利用メンバー管理", "外部LINE WORKS", "追加", "削除", "URL をリセット", "友だち追加 URL", "登録済み")) {
            assertTrue(jaPage.contains(label), label);
        }

        f.listed("acme", Connector.WORKS, List.of("sato"));
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/acme/connectors/WORKS/members/sato/channel", s.acmeToken,
                Map.of("channelId", "bot-2001", "secrets", List.of("works-secret-" + System.nanoTime()), "reason", "bot"))
                .status());
        String works = b.get("/console/tenants/acme/members/WORKS").body();
        assertTrue(works.contains("NAVER WORKS bot"), "WORKS shows its bot");
        String satoWorks = row(works, "sato");
        assertTrue(satoWorks.contains("Registered") && satoWorks.contains("bot-2001"), satoWorks);
        assertFalse(satoWorks.contains("friends.example.test"), "no friend-add URL on WORKS");
        assertFalse(works.contains("Reset URL"), "no URL on WORKS");
        assertEquals(404, b.get("/console/tenants/acme/members/SLACK").statusCode());
    }

    @Test
    void addOffersOnlyTheTenantsMembersNotListedAndKeepsTheRules() {
        ConsoleClient b = signedIn(s.acmeToken);
        String add = b.get(LINE + "/add").body();
        assertTrue(add.contains("name=\"m.suzuki\""), "a member of the directory not on the list");
        assertFalse(add.contains("name=\"m.sato\""), "already listed");
        assertFalse(add.contains("name=\"m.left-one\""), "left the company (R3)");

        var noReason = post(b, LINE + "/add", Map.of("action", "add", "m.suzuki", "on", "reason", ""));
        assertEquals(422, noReason.statusCode());
        assertTrue(noReason.body().contains("Rule R10"), noReason.body());
        assertTrue(noReason.body().contains("name=\"m.suzuki\" id=\"m-suzuki\" checked"), "the choice is kept");
        var ghost = post(b, LINE + "/add", Map.of("action", "add", "m.ghost", "on", "reason", "try"));
        assertEquals(422, ghost.statusCode());
        assertTrue(ghost.body().contains("Rule R3") && ghost.body().contains("ghost"), ghost.body());
        var none = post(b, LINE + "/add", Map.of("action", "add", "reason", "nobody"));
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("Select one or more members first."));
        assertFalse(f.listing("acme", Connector.LINE).containsKey("suzuki"), "nothing written");

        var added = post(b, LINE + "/add", Map.of("action", "add", "m.suzuki", "on", "reason", "new sales rep"));
        assertEquals(303, added.statusCode(), added.body());
        String location = added.headers().firstValue("Location").orElseThrow();
        assertEquals(LINE + "?done=added&n=1&u=0&m=suzuki", location);
        var row = f.listing("acme", Connector.LINE).get("suzuki");
        assertNotNull(row);
        assertEquals("alice", row.at("/change/actor/id").asText());
        assertEquals("new sales rep", row.at("/change/reason").asText());
        assertTrue(b.get(location).body().contains("Added."));
        assertFalse(b.get(LINE + "/add").body().contains("name=\"m.suzuki\""));

        post(b, LINE, Map.of("action", "delete", "m.suzuki", "on", "reason", "undo", "confirm", "yes"));
        assertFalse(f.listing("acme", Connector.LINE).containsKey("suzuki"));
    }

    @Test
    void deleteShowsTheRoomsItDropsAndIsDoneOnlyWhenConfirmed() {
        f.listed("acme", Connector.LINE, List.of("suzuki"));
        f.opened("acme", Connector.LINE, "suzuki", "u9");
        ConsoleClient b = signedIn(s.acmeToken);
        eventually("suzuki's room", () -> b.get(LINE).body().contains("id=\"rooms-suzuki\">1<"));
        var confirm = post(b, LINE, Map.of("action", "delete", "m.suzuki", "on", "reason", "moved to HR"));
        assertEquals(200, confirm.statusCode());
        assertTrue(confirm.body().contains("This deletes 1 member from the list and 1 open message room."), confirm.body());
        assertTrue(confirm.body().contains("LINE users see them as departed"));
        assertTrue(f.listing("acme", Connector.LINE).containsKey("suzuki"), "nothing deleted before the confirmation");
        Map<String, String> hidden = ConsoleClient.hidden(confirm.body());
        assertEquals("on", hidden.get("m.suzuki"));
        assertEquals("yes", hidden.get("confirm"));
        assertTrue(confirm.body().contains("value=\"moved to HR\""), "the reason is carried");

        Map<String, String> form = new HashMap<>(hidden);
        form.put("reason", "moved to HR");
        var done = b.post(LINE, form);
        assertEquals(303, done.statusCode(), done.body());
        assertFalse(f.listing("acme", Connector.LINE).containsKey("suzuki"));
        assertTrue(b.get(done.headers().firstValue("Location").orElseThrow()).body().contains("Deleted."));
    }

    @Test
    void resettingOneOrSeveralUrlsMakesTheOldOnesStaleAtOnce() {
        ConsoleClient b = signedIn(s.acmeToken);
        String old = f.token("acme", "sato");
        assertEquals(302, f.visit("acme", old).statusCode(), "the current URL leads to the channel");

        var noReason = post(b, LINE, Map.of("one", "sato", "reason", ""));
        assertEquals(422, noReason.statusCode());
        assertTrue(noReason.body().contains("Rule R10"));
        assertEquals(old, f.token("acme", "sato"), "not reset without a reason");

        var reset = post(b, LINE, Map.of("one", "sato", "m.kato", "on", "reason", "URL leaked on a flyer"));
        assertEquals(303, reset.statusCode(), reset.body());
        assertEquals(LINE + "?done=reset&n=1&u=0&m=sato", reset.headers().firstValue("Location").orElseThrow(),
                "the row's Reset resets that member only, not the boxes ticked");
        String now = f.token("acme", "sato");
        assertNotEquals(old, now);
        assertEquals(410, f.visit("acme", old).statusCode(), "the old URL is stale at once");
        var visit = f.visit("acme", now);
        assertEquals(302, visit.statusCode());
        assertEquals(satoLink, visit.headers().firstValue("Location").orElseThrow());
        String after = b.get(reset.headers().firstValue("Location").orElseThrow()).body();
        assertTrue(row(after, "sato").contains(now), "the page shows the new URL");
        assertTrue(after.contains("1 member changed. Members: sato."), after);

        String ito = f.token("acme", "ito");
        String kato = f.token("acme", "kato");
        String tanaka = f.token("acme", "tanaka");
        var several = post(b, LINE, Map.of("action", "reset", "m.ito", "on", "m.kato", "on", "reason", "rotation"));
        assertEquals(LINE + "?done=reset&n=2&u=0&m=ito%2Ckato", several.headers().firstValue("Location").orElseThrow());
        assertNotEquals(ito, f.token("acme", "ito"));
        assertNotEquals(kato, f.token("acme", "kato"));
        assertEquals(tanaka, f.token("acme", "tanaka"), "not selected, not reset");

        var nothing = post(b, LINE, Map.of("action", "reset", "reason", "rotation"));
        assertEquals(400, nothing.statusCode());
    }

    @Test
    void resetAllIsConfirmedFirst() {
        ConsoleClient b = signedIn(s.acmeToken);
        Map<String, String> before = new HashMap<>();
        f.listing("acme", Connector.LINE).forEach((id, m) -> before.put(id, m.get("urlToken").asText()));
        var confirm = post(b, LINE, Map.of("action", "reset-all", "reason", "yearly rotation"));
        assertEquals(200, confirm.statusCode());
        assertTrue(confirm.body().contains("This issues a new friend-add URL to all " + before.size() + " members."),
                confirm.body());
        f.listing("acme", Connector.LINE).forEach((id, m) -> assertEquals(before.get(id), m.get("urlToken").asText()));

        var done = b.post(LINE, new HashMap<>(ConsoleClient.hidden(confirm.body())) {{
            put("reason", "yearly rotation");
        }});
        assertEquals(303, done.statusCode(), done.body());
        assertTrue(done.headers().firstValue("Location").orElseThrow().startsWith(LINE + "?done=reset-all&n=" + before.size()
                + "&u=0&m="), done.headers().map().toString());
        f.listing("acme", Connector.LINE).forEach((id, m) -> assertNotEquals(before.get(id), m.get("urlToken").asText(), id));
        before.values().forEach(old -> assertEquals(410, f.visit("acme", old).statusCode()));

        var refused = b.post(LINE, Map.of("csrf", "forged", "action", "reset-all", "confirm", "yes", "reason", "x"));
        assertEquals(403, refused.statusCode());
    }

    @Test
    void aLongListIsPagedOnTheServer() {
        List<String> many = MembersFixture.ids("p", 230);
        f.joined("globex", many);
        f.listed("globex", Connector.WORKS, many);
        ConsoleClient b = signedIn(s.globexToken);
        String works = "/console/tenants/globex/members/WORKS";
        String first = b.get(works).body();
        assertEquals(MembersFixture.ids("p", 50), rows(first));
        assertTrue(first.contains("1–50 of 230"), "where the page is");
        assertTrue(first.contains("href=\"" + works + "?page=2\" rel=\"next\""));
        assertTrue(first.contains("aria-label=\"Page 5 of 5\""));
        assertEquals(many.subList(200, 230), rows(b.get(works + "?page=5").body()));
        assertEquals(many.subList(200, 230), rows(b.get(works + "?page=99").body()), "past the end: the last page");
        assertEquals(many.subList(50, 100), rows(b.get(works + "?page=2").body()));

        String found = b.get(works + "?q=P10").body();
        assertTrue(found.contains("<dd id=\"total\">230</dd>") && found.contains("1–10 of 10"), "the list's size, the search's");
        assertEquals(List.of("p100", "p101", "p102", "p103", "p104", "p105", "p106", "p107", "p108", "p109"), rows(found));
        String selected = b.get(works + "?page=2&select=page").body();
        assertTrue(selected.contains("name=\"m.p051\" id=\"m-p051\" checked"), "Select all on this page");
        assertFalse(b.get(works + "?page=2").body().contains("id=\"m-p051\" checked"));
    }

    @Test
    void aTenantAdminIsRefusedAnotherTenantsMembersAndThePlan() {
        ConsoleClient acme = signedIn(s.acmeToken);
        var other = acme.get("/console/tenants/globex/members/LINE");
        assertEquals(403, other.statusCode());
        assertTrue(other.body().contains("You may not open another tenant’s pages."));
        assertFalse(other.body().contains("Manage External Message Users</h1>"));
        assertEquals(403, acme.post("/console/tenants/globex/members/LINE", Map.of("csrf",
                ConsoleClient.csrf(acme.get(LINE).body()), "action", "reset-all", "confirm", "yes", "reason", "x")).statusCode());
        assertEquals(403, acme.get("/console/tenants/acme/plan").statusCode(), "the plan is the operator's");
        assertFalse(acme.get(LINE).body().contains("id=\"nav-plan\""), "no plan link for a tenant admin");
        ConsoleClient auditor = signedIn(s.acmeAuditorToken);
        assertEquals(403, auditor.get(LINE).statusCode(), "auditors do not manage members");
    }

    @Test
    void anOperatorChangesAPlanAfterSeeingTheRoomsItDrops() {
        f.byMember("globex", Connector.LINE);
        f.joined("globex", List.of("gm1"));
        f.listed("globex", Connector.LINE, List.of("gm1"));
        f.opened("globex", Connector.LINE, "gm1", "gu1");
        eventually("globex's room", () -> s.call("POST", "/admin/v1/tenants/globex/connectors/LINE/impact", s.globexToken,
                Map.of("enabled", false)).body().get("roomsDropped").asInt() == 1);
        ConsoleClient op = signedIn(s.operatorToken);
        String plan = "/console/tenants/globex/plan";
        var page = op.get(plan);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<dd id=\"plan\">LITE</dd>"), page.body());
        assertTrue(page.body().contains("id=\"plan-LITE\" checked"));

        var raise = op.post(plan, Map.of("csrf", ConsoleClient.csrf(page.body()), "plan", "ADVANCED", "reason", "upsell"));
        assertEquals(303, raise.statusCode(), raise.body());
        assertEquals("ADVANCED", s.call("GET", MembersFixture.settings("globex", Connector.WORKS), s.globexToken, null)
                .body().get("plan").asText(), "both connectors' rows");

        var lower = op.post(plan, Map.of("csrf", ConsoleClient.csrf(page.body()), "plan", "FREE", "reason", "contract ended"));
        assertEquals(200, lower.statusCode());
        assertTrue(lower.body().contains("Plan FREE deletes 1 open message room."), lower.body());
        assertTrue(lower.body().contains("<td>gm1</td>"));
        assertEquals("ADVANCED", s.call("GET", MembersFixture.settings("globex", Connector.LINE), s.globexToken, null)
                .body().get("plan").asText(), "nothing changed before the confirmation");
        var noReason = op.post(plan, Map.of("csrf", ConsoleClient.csrf(page.body()), "plan", "FREE", "confirm", "yes"));
        assertEquals(422, noReason.statusCode());
        assertTrue(noReason.body().contains("Rule R10"));
        var done = op.post(plan, new HashMap<>(ConsoleClient.hidden(lower.body())) {{
            put("reason", "contract ended");
        }});
        assertEquals(303, done.statusCode(), done.body());
        var row = s.call("GET", MembersFixture.settings("globex", Connector.LINE), s.globexToken, null).body();
        assertEquals("FREE", row.get("plan").asText());
        assertEquals("olga", row.at("/change/actor/id").asText());
        assertTrue(op.get(done.headers().firstValue("Location").orElseThrow()).body().contains("The plan was changed."));
        assertEquals(400, op.post(plan, Map.of("csrf", ConsoleClient.csrf(page.body()), "plan", "GOLD", "reason", "x"))
                .statusCode());
    }
}
