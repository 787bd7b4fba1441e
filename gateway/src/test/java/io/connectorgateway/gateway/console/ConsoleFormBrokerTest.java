package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's pages and forms against a real gateway on a real broker, as a browser without
 * scripts uses them: sign-in, cookies, headers, the settings form with its rules, the impact
 * confirmation, a stale version, CSRF, languages, and who may open what.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleFormBrokerTest {
    static AdminServer s;
    static final String LINE = "/console/tenants/acme/connectors/LINE";

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static ConsoleClient signedIn(String token) {
        ConsoleClient b = new ConsoleClient(s.url());
        var r = b.signIn(token);
        assertEquals(303, r.statusCode(), r.body());
        return b;
    }

    static String setCookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.replace("HTTPOnly", "HttpOnly")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers().map()));
    }

    static void assertSecurityHeaders(HttpResponse<?> r) {
        assertEquals(ConsolePages.CSP, r.headers().firstValue("Content-Security-Policy").orElse(null));
        assertTrue(ConsolePages.CSP.contains("default-src 'self'") && ConsolePages.CSP.contains("frame-ancestors 'none'"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("same-origin", r.headers().firstValue("Referrer-Policy").orElse(null));
    }

    /** A settings form post: the page's CSRF token and version, and the fields given. */
    static HttpResponse<String> save(ConsoleClient b, String path, Map<String, String> fields) {
        String page = b.get(path).body();
        Map<String, String> form = new HashMap<>(fields);
        form.putIfAbsent("csrf", ConsoleClient.csrf(page));
        form.putIfAbsent("expectedVersion", ConsoleClient.hidden(page).get("expectedVersion"));
        return b.post(path, form);
    }

    static String opened(String tenant, Connector c, String member, String user) {
        String room = Ids.roomId(Ids.pairKey(tenant, c, member, user), "add-" + user);
        s.publish(tenant, s.topics.rooms, room, new RoomCommand(1, "open-" + room, RoomCommand.Action.OPENED, tenant, c, room,
                member, user, RoomCommand.Reason.FRIEND_ADDED, 2, "add-" + user, System.currentTimeMillis()));
        return room;
    }

    @Test
    void signInSetsAHardenedSessionCookieAndEveryPageHasTheSecurityHeaders() {
        ConsoleClient b = new ConsoleClient(s.url());
        var unsigned = b.get(LINE);
        assertEquals(303, unsigned.statusCode());
        assertEquals("/console/sign-in", unsigned.headers().firstValue("Location").orElseThrow());
        assertSecurityHeaders(unsigned);

        var form = b.get("/console/sign-in");
        assertEquals(200, form.statusCode());
        assertSecurityHeaders(form);
        assertFalse(form.body().toLowerCase().contains("<script"), "no scripts at all");
        assertFalse(form.body().contains(" style="), "no inline styles (CSP)");
        assertTrue(setCookie(form, ConsoleSessions.PRE_COOKIE).contains("HttpOnly"));

        var wrong = b.post("/console/sign-in", Map.of("csrf", ConsoleClient.csrf(form.body()), "token", "not-a-token"));
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("That token is not a known admin credential."), wrong.body());
        var noCsrf = new ConsoleClient(s.url()).post("/console/sign-in", Map.of("token", s.acmeToken));
        assertEquals(403, noCsrf.statusCode());

        var ok = b.post("/console/sign-in", Map.of("csrf", ConsoleClient.csrf(form.body()), "token", s.acmeToken));
        assertEquals(303, ok.statusCode(), ok.body());
        String cookie = setCookie(ok, ConsoleSessions.COOKIE);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP: not Secure (the browser would drop it)");
        assertFalse(cookie.contains(s.acmeToken) && !cookie.contains(io.connectorgateway.gateway.admin.AdminCredentials
                .sha256Hex(s.acmeToken)), "neither the token nor its hash is in the cookie");
        assertEquals("/console", ok.headers().firstValue("Location").orElseThrow());
        assertEquals(LINE, b.get("/console").headers().firstValue("Location").orElseThrow());

        var page = b.get(LINE);
        assertEquals(200, page.statusCode(), page.body());
        assertSecurityHeaders(page);
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(null));
        for (String label : List.of("Chat with LINE users", "Connect", "Allow", "Do not allow", "Permissions",
                "Grant to all members", "Grant by member", "Automatically grant link authority to new members",
                "Send greeting messages automatically", "Sales information", "File transfer/attachment", "Save")) {
            assertTrue(page.body().contains(label), "label '" + label + "' on the LINE page");
        }
        var works = b.get("/console/tenants/acme/connectors/WORKS").body();
        assertTrue(works.contains("Restrict file transfer/attachment"));
        assertFalse(works.contains("greetingEnabled"), "no greeting on WORKS (R7)");

        ConsoleClient https = new ConsoleClient(s.url()).header("X-Forwarded-Proto", "https");
        var secureForm = https.get("/console/sign-in");
        String pre = setCookie(secureForm, ConsoleSessions.PRE_COOKIE);
        assertTrue(pre.contains("Secure"), pre);
        // a client over plain HTTP keeps Secure cookies to itself: send it as a browser behind TLS would
        var secure = https.header("Cookie", pre.substring(0, pre.indexOf(';')))
                .post("/console/sign-in", Map.of("csrf", ConsoleClient.csrf(secureForm.body()), "token", s.acmeToken));
        assertTrue(setCookie(secure, ConsoleSessions.COOKIE).contains("Secure"), "behind TLS the cookie is Secure");
    }

    @Test
    void signOutEndsTheSessionAndNeedsTheCsrfToken() {
        ConsoleClient b = signedIn(s.globexToken);
        String page = b.get("/console/tenants/globex/connectors/LINE").body();
        assertEquals(403, b.post("/console/sign-out", Map.of("csrf", "forged")).statusCode());
        var out = b.post("/console/sign-out", Map.of("csrf", ConsoleClient.csrf(page)));
        assertEquals(303, out.statusCode());
        assertEquals("/console/sign-in", b.get("/console/tenants/globex/connectors/LINE").headers().firstValue("Location")
                .orElse(null));
    }

    @Test
    void aChangeThatDropsRoomsIsPreviewedAndSavedOnlyWhenConfirmed() {
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/acme/plan", s.operatorToken,
                Map.of("plan", "LITE", "reason", "contract")).status());
        ConsoleClient b = signedIn(s.acmeToken);
        var on = save(b, LINE, Map.of("enabled", "true", "reason", "launch"));
        assertEquals(303, on.statusCode(), on.body());
        String saved = b.get(on.headers().firstValue("Location").orElseThrow()).body();
        assertTrue(saved.contains("Saved."), saved);
        opened("acme", Connector.LINE, "m1", "u1");
        opened("acme", Connector.LINE, "m1", "u2");
        opened("acme", Connector.LINE, "m2", "u3");
        eventually("three open rooms in the view", () -> s.call("POST", "/admin/v1/tenants/acme/connectors/LINE/impact",
                s.acmeToken, Map.of("enabled", false)).body().get("roomsDropped").asInt() == 3);

        var preview = save(b, LINE, Map.of("enabled", "false", "reason", "pause"));
        assertEquals(200, preview.statusCode());
        assertTrue(preview.body().contains("This change deletes 3 of 3 open message rooms."), preview.body());
        assertTrue(preview.body().contains("LINE users will see these members as departed"));
        assertTrue(preview.body().contains(">m1<") && preview.body().contains(">m2<"));
        assertTrue(s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null).body()
                .get("enabled").asBoolean(), "nothing is saved before the confirmation");

        Map<String, String> confirm = ConsoleClient.hidden(preview.body());
        assertEquals("yes", confirm.get("confirm"));
        var done = b.post(LINE, confirm);
        assertEquals(303, done.statusCode(), done.body());
        var row = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null).body();
        assertFalse(row.get("enabled").asBoolean());
        assertEquals("pause", row.at("/change/reason").asText());
        assertEquals("alice", row.at("/change/actor/id").asText(), "written as the signed-in credential");
    }

    @Test
    void aBrokenRuleIsShownAtItsFieldAndAStaleVersionOffersAReload() {
        ConsoleClient b = signedIn(s.acmeToken);
        String works = "/console/tenants/acme/connectors/WORKS";
        var r9 = save(b, works, Map.of("permissionMode", "ALL_MEMBERS", "autoGrantNewMembers", "true", "reason", "try"));
        assertEquals(422, r9.statusCode(), r9.body());
        assertTrue(r9.body().contains("id=\"error-autoGrantNewMembers\""), r9.body());
        assertTrue(r9.body().contains("Rule R9"), r9.body());
        assertTrue(r9.body().contains("value=\"try\""), "the admin's input is kept");

        var noReason = save(b, works, Map.of("autoGrantNewMembers", "false", "permissionMode", "BY_MEMBER"));
        assertEquals(422, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("id=\"error-reason\"") && noReason.body().contains("Rule R10"));

        String page = b.get(works).body();
        String version = ConsoleClient.hidden(page).get("expectedVersion");
        assertEquals(200, s.call("PATCH", "/admin/v1/tenants/acme/connectors/WORKS/settings", s.operatorToken,
                Map.of("permissionMode", "BY_MEMBER", "reason", "meanwhile", "expectedVersion", Long.parseLong(version))).status());
        var stale = b.post(works, Map.of("csrf", ConsoleClient.csrf(page), "expectedVersion", version,
                "autoGrantNewMembers", "true", "reason", "late"));
        assertEquals(409, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("Someone else changed these settings"));
        assertTrue(stale.body().contains("id=\"reload\""));

        var bad = save(b, works, Map.of("enabled", "maybe", "reason", "x"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("enabled must be true or false"));
        var forged = b.post(works, Map.of("csrf", "forged", "expectedVersion", "0", "reason", "x", "enabled", "false"));
        assertEquals(403, forged.statusCode());
        ConsoleClient other = signedIn(s.operatorToken);
        var otherToken = b.post(works, Map.of("csrf", ConsoleClient.csrf(other.get("/console/tenants").body()),
                "expectedVersion", "0", "reason", "x"));
        assertEquals(403, otherToken.statusCode(), "another session's CSRF token is refused");
        var crossSite = b.header("Origin", "https://evil.example").post(works, Map.of("csrf", ConsoleClient.csrf(page),
                "expectedVersion", version, "reason", "x", "enabled", "false"));
        assertEquals(403, crossSite.statusCode(), "a post from another site is refused before the form is read");
    }

    @Test
    void languageFollowsAcceptLanguageAndTheSwitch() {
        ConsoleClient b = signedIn(s.acmeToken).header("Accept-Language", "ja,en;q=0.5");
        String ja = b.get(LINE).body();
        for (String label : List.of("LINE ユーザーとトークの設定", "連携設定", "有効", "無効", "新規メンバーに連携権限を自動付与",
                "あいさつメッセージを自動送信", "営業情報", "ファイル送信・添付の制限", "保存", "lang=\"ja\"")) {
            assertTrue(ja.contains(label), "'" + label + "' on the Japanese page");
        }
        var sw = b.get("/console/lang?to=en&back=" + LINE);
        assertEquals(303, sw.statusCode());
        assertEquals(LINE, sw.headers().firstValue("Location").orElseThrow());
        assertTrue(b.get(LINE).body().contains("Chat with LINE users"), "the switch wins over Accept-Language");
        assertEquals("/console", b.get("/console/lang?to=ja&back=https://evil.example/").headers().firstValue("Location")
                .orElseThrow(), "no open redirect");
        assertEquals("/console", b.get("/console/lang?to=ja&back=//evil.example/console").headers().firstValue("Location")
                .orElseThrow());
    }

    @Test
    void rolesAndTenantsAsTheApi() {
        ConsoleClient acme = signedIn(s.acmeToken);
        var other = acme.get("/console/tenants/globex/connectors/LINE");
        assertEquals(403, other.statusCode());
        assertTrue(other.body().contains("You may not open another tenant’s pages."), other.body());
        assertEquals(403, acme.post("/console/tenants/globex/connectors/LINE", Map.of("csrf",
                ConsoleClient.csrf(acme.get(LINE).body()), "expectedVersion", "0", "reason", "x", "enabled", "false")).statusCode());
        assertEquals(403, acme.get("/console/tenants/acme/audit").statusCode(), "tenant admins do not read the audit trail");
        assertEquals(403, acme.get("/console/tenants").statusCode(), "the tenant choice is for operators");
        assertEquals(400, acme.get("/console/tenants/bad%20id/connectors/LINE").statusCode());

        ConsoleClient auditor = signedIn(s.acmeAuditorToken);
        assertEquals("/console/tenants/acme/audit", auditor.get("/console").headers().firstValue("Location").orElseThrow());
        var audit = auditor.get("/console/tenants/acme/audit");
        assertEquals(200, audit.statusCode());
        assertTrue(audit.body().contains("id=\"audit-filter\""), "the Admin Audit search");
        assertEquals(403, auditor.get(LINE).statusCode(), "auditors do not change settings");
        assertEquals(403, auditor.get("/console/tenants/globex/audit").statusCode());

        ConsoleClient operator = signedIn(s.operatorToken);
        assertEquals("/console/tenants", operator.get("/console").headers().firstValue("Location").orElseThrow());
        assertEquals("/console/tenants/globex/connectors/LINE", operator.get("/console/tenants?tenant=globex")
                .headers().firstValue("Location").orElseThrow());
        assertEquals(200, operator.get("/console/tenants/globex/connectors/WORKS").statusCode());
        assertNotNull(operator.get("/console/tenants/globex/audit"));
        assertEquals(200, operator.get("/console/tenants/globex/audit").statusCode());
    }
}
