package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.IOException;
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
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * End-to-end through a real browser: Debian's headless Chromium driven by Selenium, against a real
 * gateway on a real broker. No script runs in the pages; the browser only fills and posts forms.
 * Each step saves a screenshot into docs/console/ (docs/console.md shows them).
 *
 * <p>Without {@code chromium} and {@code chromedriver} on the PATH the tests are skipped, with the
 * packages to install; with {@code CI=true} they fail instead ({@code .ci/run} installs both); see {@link ConsoleBrowser}.
 */
@ExtendWith({ConsoleBrowser.Present.class, KafkaBrokerExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserBrokerTest {
    static final int WIDTH = ConsoleBrowser.WIDTH;
    static final int PHONE = ConsoleBrowser.PHONE;

    static AdminServer s;
    static ConsoleBrowser b;
    static ChromeDriver browser;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        b = new ConsoleBrowser(s.url());
        browser = b.driver;

        // acme on LITE with LINE allowed, a greeting, and three open rooms of two members
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/acme/plan", s.operatorToken,
                Map.of("plan", "LITE", "reason", "contract")).status());
        assertEquals(200, s.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken,
                Map.of("enabled", true, "greeting", Map.of("enabled", true, "text", "Thank you for adding us!",
                        "salesInfo", "Spring campaign: 10% off until April"), "reason", "launch", "expectedVersion", 1)).status());
        for (String[] room : List.of(new String[] {"sato", "u1"}, new String[] {"sato", "u2"}, new String[] {"tanaka", "u3"})) {
            String id = Ids.roomId(Ids.pairKey("acme", Connector.LINE, room[0], room[1]), "add-" + room[1]);
            s.publish("acme", s.topics.rooms, id, new RoomCommand(1, "open-" + id, RoomCommand.Action.OPENED, "acme",
                    Connector.LINE, id, room[0], room[1], RoomCommand.Reason.FRIEND_ADDED, 2, "add-" + room[1],
                    System.currentTimeMillis()));
        }
        eventually("three open rooms", () -> s.call("POST", "/admin/v1/tenants/acme/connectors/LINE/impact", s.acmeToken,
                Map.of("enabled", false)).body().get("roomsDropped").asInt() == 3);
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

    static void open(String path) {
        b.open(path);
    }

    static WebElement $(String css) {
        return b.$(css);
    }

    static String text() {
        return b.text();
    }

    static void shot(String name, int width) throws IOException {
        b.shot(name, width);
    }

    static void signIn(String token) {
        b.signIn(token);
    }

    @Test
    @Order(1)
    void signInShowsTheTenantsLineSettings() throws IOException {
        open("/console");
        assertTrue(text().contains("Sign in to Admin"));
        shot("sign-in", WIDTH);
        signIn(s.acmeToken);
        assertTrue(browser.getCurrentUrl().endsWith("/console/tenants/acme/connectors/LINE"), browser.getCurrentUrl());
        assertTrue(text().contains("Chat with LINE users"));
        assertTrue($("#enabled-true").isSelected());
        assertTrue($("#greeting-on").isSelected());
        assertEquals("Thank you for adding us!", $("#greetingText").getAttribute("value"));
        shot("settings-line", WIDTH);
        shot("settings-line-phone", PHONE);
    }

    @Test
    @Order(2)
    void disablingAConnectorWithOpenRoomsIsPreviewedThenConfirmed() throws IOException {
        open("/console/tenants/acme/connectors/LINE");
        $("#enabled-false").click();
        $("#reason").sendKeys("Pause LINE during the office move");
        b.go("#save");
        assertTrue(text().contains("This change deletes 3 of 3 open message rooms."), text());
        assertTrue(text().contains("LINE users will see these members as departed"));
        List<String> rows = browser.findElements(By.cssSelector("#impact tbody tr")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("sato 2 connector not allowed", "tanaka 1 connector not allowed"), rows);
        assertTrue(s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null).body()
                .get("enabled").asBoolean(), "nothing saved before the confirmation");
        shot("confirm-impact", WIDTH);
        b.go("#confirm");
        assertTrue(browser.getCurrentUrl().contains("/console/tenants/acme/connectors/LINE?saved="), browser.getCurrentUrl());
        assertTrue($("#notice").getText().contains("Saved."));
        assertTrue($("#enabled-false").isSelected());
        var row = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null).body();
        assertFalse(row.get("enabled").asBoolean());
        assertEquals("alice", row.at("/change/actor/id").asText());
        shot("saved", WIDTH);
    }

    @Test
    @Order(3)
    void aBrokenRuleIsShownAtItsField() throws IOException {
        open("/console/tenants/acme/connectors/WORKS");
        $("#mode-all").click();
        $("#autogrant-on").click();
        $("#reason").sendKeys("Everyone, automatically");
        b.go("#save");
        assertTrue($("#error-autoGrantNewMembers").getText().contains("Rule R9"), text());
        shot("rule-error", WIDTH);
    }

    @Test
    @Order(4)
    void theLanguageSwitchShowsTheJapaneseGuideWording() throws IOException {
        open("/console/tenants/acme/connectors/LINE");
        b.go("#lang-switch");
        assertTrue(browser.getCurrentUrl().endsWith("/console/tenants/acme/connectors/LINE"), browser.getCurrentUrl());
        String ja = text();
        for (String label : List.of("LINE ユーザーとトークの設定", "連携設定", "新規メンバーに連携権限を自動付与",
                "あいさつメッセージを自動送信", "ファイル送信・添付の制限", "保存")) {
            assertTrue(ja.contains(label), label + " in\n" + ja);
        }
        shot("settings-line-ja", WIDTH);
        shot("settings-line-ja-phone", PHONE);
        b.go("#lang-switch");
        assertTrue(text().contains("Chat with LINE users"));
    }

    @Test
    @Order(5)
    void aTenantAdminIsRefusedAnotherTenant() throws IOException {
        open("/console/tenants/globex/connectors/LINE");
        assertTrue($("#error-message").getText().contains("You may not open another tenant’s pages."), text());
        assertFalse(text().contains("Chat with LINE users"));
        shot("forbidden", WIDTH);
    }

    @Test
    @Order(6)
    void anAuditorSeesTheAuditPageOnlyAndSignsOut() throws IOException {
        b.go("#sign-out");
        signIn(s.acmeAuditorToken);
        assertTrue(browser.getCurrentUrl().endsWith("/console/tenants/acme/audit"), browser.getCurrentUrl());
        assertTrue($("#page-title").getText().contains("Admin Audit"), text());
        assertTrue(browser.findElements(By.linkText("LINE")).isEmpty(), "no settings tabs for auditors");
        shot("audit", WIDTH);
        b.go("#sign-out");
        open("/console/tenants/acme/audit");
        assertTrue(browser.getCurrentUrl().endsWith("/console/sign-in"));
    }
}
