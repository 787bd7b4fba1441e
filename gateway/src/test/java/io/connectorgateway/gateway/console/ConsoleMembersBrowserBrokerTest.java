package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static io.connectorgateway.gateway.console.ConsoleBrowser.PHONE;
import static io.connectorgateway.gateway.console.ConsoleBrowser.WIDTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * "Manage External Message Users" and the operator's plan page through a real browser (Debian's
 * headless Chromium through Selenium, no script in the pages) against a real gateway on a real
 * broker: reset a member's URL and follow the new one (the old one gone), add and delete a member,
 * reset the selected URLs and all of them, page through a few hundred members, an operator
 * changing a plan, a tenant admin refused another tenant's members. A screenshot of each page.
 */
@ExtendWith({ConsoleBrowser.Present.class, KafkaBrokerExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleMembersBrowserBrokerTest {
    static final String LINE = "/console/tenants/acme/members/LINE";

    static AdminServer s;
    static MembersFixture f;
    static ConsoleBrowser b;
    static String satoLink;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        b = new ConsoleBrowser(s.url());
        f = new MembersFixture(s);
        // acme: LINE by member; four listed members, sato and tanaka with a LINE channel and open rooms,
        // and 240 more sales staff for the paging
        f.byMember("acme", Connector.LINE);
        List<String> staff = new ArrayList<>(List.of("ito", "kato", "sato", "suzuki", "tanaka"));
        staff.addAll(MembersFixture.ids("staff", 240));
        f.joined("acme", staff);
        f.listed("acme", Connector.LINE, List.of("ito", "kato", "sato", "tanaka"));
        satoLink = f.lineChannel("acme", "sato", "1650002001");
        f.lineChannel("acme", "tanaka", "1650002002");
        f.opened("acme", Connector.LINE, "sato", "u1");
        f.opened("acme", Connector.LINE, "sato", "u2");
        f.opened("acme", Connector.LINE, "tanaka", "u3");
        eventually("three open rooms", () -> s.call("POST", "/admin/v1/tenants/acme/connectors/LINE/impact", s.acmeToken,
                Map.of("enabled", false)).body().get("roomsDropped").asInt() == 3);
        f.listed("acme", Connector.WORKS, staff);
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (s != null) {
            s.close();
        }
    }

    static List<String> rows() {
        return b.driver.findElements(By.cssSelector("#members tbody tr")).stream()
                .map(r -> r.getAttribute("id").substring("row-".length())).toList();
    }

    static String url(String member) {
        return b.$("#url-" + member).getText();
    }

    static void reason(String text) {
        WebElement reason = b.$("#reason");
        reason.clear();
        reason.sendKeys(text);
    }

    @Test
    @Order(1)
    void theMembersPageShowsTheLinkageStatus() throws IOException {
        b.signIn(s.acmeToken);
        b.go("#nav-members");
        assertTrue(b.url().endsWith(LINE), b.url());
        assertEquals(List.of("ito", "kato", "sato", "tanaka"), rows());
        assertEquals("https://friends.example.test/friend/acme/" + f.token("acme", "sato"), url("sato"));
        assertTrue(b.$("#channel-sato").getText().contains("Registered"));
        assertTrue(b.$("#channel-ito").getText().contains("Not registered"));
        assertEquals("2", b.$("#rooms-sato").getText());
        assertEquals("Grant by member", b.$("#mode").getText());
        b.$("#qr-sato").click();
        WebElement qr = b.$("#row-sato details.qr img");
        eventually("the QR code to load", () -> ((Number) b.driver.executeScript(
                "return arguments[0].naturalWidth", qr)).intValue() > 0);
        b.shot("members-line", WIDTH);
        b.shot("members-line-phone", PHONE);
    }

    @Test
    @Order(2)
    void resettingAMembersUrlMakesTheNewOneWorkAndTheOldOneGone() throws IOException {
        b.open(LINE);
        String old = url("sato");
        String oldToken = old.substring(old.lastIndexOf('/') + 1);
        reason("Flyer with the old QR code was lost");
        b.go("#reset-sato");
        assertTrue(b.$("#notice").getText().contains("The URLs were reset."), b.text());
        String now = url("sato");
        assertNotEquals(old, now);
        assertEquals(url("tanaka"), "https://friends.example.test/friend/acme/" + f.token("acme", "tanaka"), "others untouched");
        String newToken = now.substring(now.lastIndexOf('/') + 1);
        var visit = f.visit("acme", newToken);
        assertEquals(302, visit.statusCode(), "the new URL works");
        assertEquals(satoLink, visit.headers().firstValue("Location").orElseThrow());
        assertEquals(410, f.visit("acme", oldToken).statusCode(), "the old URL is gone");
        b.shot("members-reset", WIDTH);
        b.open("/friend/acme/" + oldToken);
        assertTrue(b.text().contains("This friend-add URL is no longer valid."), b.text());
    }

    @Test
    @Order(3)
    void addingAndDeletingAMember() throws IOException {
        b.open(LINE);
        b.go("#add");
        assertTrue(b.url().endsWith(LINE + "/add"));
        assertTrue(b.driver.findElements(By.id("m-sato")).isEmpty(), "listed members are not offered");
        assertTrue(b.text().contains("1–50 of 241"), b.text());
        b.shot("members-add", WIDTH);
        b.$("#q").sendKeys("suzu");
        b.go("#search");
        assertEquals(1, b.driver.findElements(By.cssSelector(".candidates input")).size());
        b.$("#m-suzuki").click();
        reason("Joined the Osaka sales team");
        b.shot("members-add-phone", PHONE);
        b.go("#ok");
        assertTrue(b.$("#notice").getText().contains("Added."), b.text());
        assertEquals(List.of("ito", "kato", "sato", "suzuki", "tanaka"), rows());
        assertTrue(f.listing("acme", Connector.LINE).containsKey("suzuki"));

        b.$("#m-suzuki").click();
        b.$("#m-tanaka").click();
        reason("Moved to the back office");
        b.go("#delete");
        assertTrue(b.$("#confirm-summary").getText().contains("This deletes 2 members from the list and 1 open message room."),
                b.text());
        assertTrue(f.listing("acme", Connector.LINE).containsKey("tanaka"), "nothing deleted before the confirmation");
        b.shot("members-confirm-delete", WIDTH);
        b.go("#confirm");
        assertTrue(b.$("#notice").getText().contains("Deleted."), b.text());
        assertEquals(List.of("ito", "kato", "sato"), rows());
        assertFalse(f.listing("acme", Connector.LINE).containsKey("tanaka"));
    }

    @Test
    @Order(4)
    void resettingTheSelectedUrlsAndThenAll() throws IOException {
        b.open(LINE);
        String ito = url("ito");
        String kato = url("kato");
        String sato = url("sato");
        b.$("#m-ito").click();
        b.$("#m-kato").click();
        reason("Quarterly rotation");
        b.go("#reset-selected");
        assertTrue(b.$("#notice-detail").getText().contains("2 members changed."), b.text());
        assertNotEquals(ito, url("ito"));
        assertNotEquals(kato, url("kato"));
        assertEquals(sato, url("sato"), "not selected");

        List<String> before = List.of(url("ito"), url("kato"), url("sato"));
        reason("Yearly rotation");
        b.go("#reset-all");
        assertTrue(b.$("#confirm-summary").getText().contains("all 3 members"), b.text());
        b.shot("members-confirm-reset-all", WIDTH);
        b.go("#confirm");
        assertTrue(b.$("#notice").getText().contains("All URLs were reset."), b.text());
        List<String> after = List.of(url("ito"), url("kato"), url("sato"));
        for (int i = 0; i < 3; i++) {
            assertNotEquals(before.get(i), after.get(i));
            String stale = before.get(i).substring(before.get(i).lastIndexOf('/') + 1);
            assertEquals(410, f.visit("acme", stale).statusCode());
        }
    }

    @Test
    @Order(5)
    void aFewHundredMembersArePaged() throws IOException {
        b.open("/console/tenants/acme/members/WORKS");
        assertEquals("245", b.$("#total").getText());
        assertEquals(50, rows().size());
        assertEquals("ito", rows().get(0));
        b.shot("members-works", WIDTH);
        b.go("#page-next");
        assertTrue(b.url().endsWith("?page=2"), b.url());
        assertEquals(MembersFixture.ids("staff", 240).subList(47, 97), rows());
        b.go(b.driver.findElement(By.cssSelector("#pager a[aria-label='Page 5 of 5']")));
        List<String> last = new ArrayList<>(MembersFixture.ids("staff", 240).subList(197, 240));
        last.addAll(List.of("suzuki", "tanaka"));
        assertEquals(last, rows());
        assertTrue(b.driver.findElements(By.id("page-next")).isEmpty(), "no next page after the last");
        b.$("#q").sendKeys("staff23");
        b.go("#search");
        assertEquals(List.of("staff230", "staff231", "staff232", "staff233", "staff234", "staff235", "staff236", "staff237",
                "staff238", "staff239"), rows());
        b.shot("members-works-search-phone", PHONE);
    }

    @Test
    @Order(6)
    void japanese() throws IOException {
        b.open(LINE);
        b.go("#lang-switch");
        assertTrue(b.url().endsWith(LINE), b.url());
        String ja = b.text();
        for (String label : List.of("利用メンバー管理", "外部LINE WORKS", "追加", "削除", "URL をリセット", "すべての URL をリセット")) {
            assertTrue(ja.contains(label), label + " in\n" + ja);
        }
        b.shot("members-line-ja", WIDTH);
        b.go("#lang-switch");
    }

    @Test
    @Order(7)
    void aTenantAdminIsRefusedAnotherTenantsMembers() throws IOException {
        b.open("/console/tenants/globex/members/LINE");
        assertTrue(b.$("#error-message").getText().contains("You may not open another tenant’s pages."), b.text());
        assertTrue(b.driver.findElements(By.id("members")).isEmpty());
        b.shot("members-forbidden", WIDTH);
    }

    @Test
    @Order(8)
    void anOperatorChangesThePlan() throws IOException {
        b.go("#sign-out");
        b.signIn(s.operatorToken);
        b.$("#tenant").sendKeys("acme");
        b.submit(b.$("#tenant"));
        b.go("#nav-plan");
        assertTrue(b.url().endsWith("/console/tenants/acme/plan"), b.url());
        assertEquals("LITE", b.$("#plan").getText());
        b.shot("plan", WIDTH);
        b.$("#plan-FREE").click();
        reason("Contract ended");
        b.go("#save");
        assertTrue(b.$("#confirm-summary").getText().contains("Plan FREE deletes 2 open message rooms."), b.text());
        assertEquals("LITE", s.call("GET", MembersFixture.settings("acme", Connector.LINE), s.acmeToken, null).body()
                .get("plan").asText(), "nothing changed before the confirmation");
        b.shot("plan-confirm", WIDTH);
        b.go("#save");
        assertTrue(b.$("#notice").getText().contains("The plan was changed."), b.text());
        assertEquals("FREE", b.$("#plan").getText());
        var row = s.call("GET", MembersFixture.settings("acme", Connector.WORKS), s.acmeToken, null).body();
        assertEquals("FREE", row.get("plan").asText());
        assertEquals("olga", row.at("/change/actor/id").asText());
    }
}
