package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Admin Audit end to end in headless Chromium, on a real gateway and the real policy stream over a
 * real broker: a LINE user befriends a member, they talk (a photo stripped, a message unsent), the
 * tenant admin disables LINE in the console (preview, confirmation), and the auditor filters the
 * trail, pages through it, opens the deleted room's conversation and downloads the export. Each
 * page is saved as a screenshot (docs/console/audit-*.png with {@code -Dconsole.screenshots=docs}).
 */
@ExtendWith({ConsoleBrowser.Present.class, KafkaBrokerExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleAuditBrowserBrokerTest {
    static AdminServer s;
    static ConsoleBrowser b;
    static String room;
    static Path downloads;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
        b = new ConsoleBrowser(s.url());
        downloads = Files.createTempDirectory("console-downloads");
        b.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toString()));
        // acme: LITE, LINE allowed by member, photos stripped; sato may use it
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/acme/plan", s.operatorToken,
                Map.of("plan", "LITE", "reason", "contract")).status());
        var patched = s.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, Map.of("enabled", true,
                "permissionMode", "BY_MEMBER", "attachments", Map.of("enabled", true, "action", "STRIP", "kinds", List.of("IMAGE")),
                "reason", "launch", "expectedVersion", 1));
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
        var joined = DirectoryEvent.of("dir-sato", "acme", "sato", DirectoryEvent.Type.JOINED, System.currentTimeMillis());
        s.publish(s.topics.directoryEvents, joined.key(), joined);
        eventually("sato known", () -> s.call("POST", "/admin/v1/tenants/acme/connectors/LINE/members", s.acmeToken,
                Map.of("add", List.of("sato"), "reason", "sales")).status() == 200);
        String token = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/members", s.acmeToken, null).body()
                .at("/members/0/urlToken").asText();
        // the friend-add opens the room (retried: the stream may see it before the member row)
        for (int attempt = 0; room == null; attempt++) {
            send(event(Direction.INBOUND).type(EventType.FRIEND_ADD).eventId("fa-" + attempt).urlToken(token));
            long until = System.nanoTime() + 5_000_000_000L;
            while (room == null && System.nanoTime() < until) {
                JsonNode opened = api("?kind=ROOM_OPENED");
                room = opened.get("items").size() > 0 ? opened.at("/items/0/roomId").asText() : null;
                Thread.sleep(100);
            }
            assertTrue(attempt < 20, "no room opened");
        }
        send(event(Direction.INBOUND).type(EventType.MESSAGE).eventId("m1").text("Hello, are you open on Sunday?"));
        send(event(Direction.OUTBOUND).type(EventType.MESSAGE).eventId("m2").text("Yes, from 10 to 18."));
        send(event(Direction.INBOUND).type(EventType.MESSAGE).eventId("m3").text("Here is a photo of the item")
                .attachments(new Attachment(AttachmentKind.IMAGE, "item.jpg", 2048L, "line-img-1")));
        send(event(Direction.OUTBOUND).type(EventType.MESSAGE).eventId("m4").text("It costs 9800 yen, sorry, wrong price"));
        send(event(Direction.OUTBOUND).type(EventType.UNSEND).eventId("m4-unsend").targetEventId("m4"));
        send(event(Direction.OUTBOUND).type(EventType.MESSAGE).eventId("m5").text("It costs 980 yen."));
        eventually("the conversation searchable, m4 unsent", () -> {
            JsonNode items = api("?room=" + room + "&kind=DELIVERED").get("items");
            return items.size() == 4 && items.toString().contains("\"unsent\":true") && api("?kind=STRIPPED").get("items").size() == 1;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (s != null) {
            s.close();
        }
        if (downloads != null) {
            try (Stream<Path> files = Files.walk(downloads)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static ConnectorEvent.Builder event(Direction d) {
        return ConnectorEvent.builder().tenant("acme").connector(Connector.LINE).memberId("sato").externalUserId("u-tanaka")
                .direction(d).timestamp(System.currentTimeMillis());
    }

    static void send(ConnectorEvent.Builder e) {
        s.publish(s.topics.lineEvents, Ids.pairKey("acme", Connector.LINE, "sato", "u-tanaka"), e.build());
    }

    static JsonNode api(String query) {
        return s.call("GET", "/admin/v1/tenants/acme/audit" + query, s.operatorToken, null).body();
    }

    static List<String> kinds() {
        return b.driver.findElements(By.cssSelector("#audit-results tbody tr")).stream()
                .map(r -> r.getAttribute("data-kind")).toList();
    }

    @Test
    @Order(1)
    void theTenantAdminDisablesLineWithThePreviewAndTheConfirmation() throws IOException {
        b.signIn(s.acmeToken);
        b.open("/console/tenants/acme/connectors/LINE");
        b.$("#enabled-false").click();
        b.$("#reason").sendKeys("LINE paused");
        b.go("#save");
        assertTrue(b.text().contains("This change deletes 1 of 1 open message rooms."), b.text());
        b.go("#confirm");
        assertTrue(b.$("#notice").getText().contains("Saved."));
        eventually("the room dropped by the stream", () -> api("?kind=ROOM_DROPPED").get("items").size() == 1);
        b.go("#sign-out");
    }

    @Test
    @Order(2)
    void theAuditorFiltersTheTrailAndPagesThroughIt() throws IOException {
        b.signIn(s.acmeAuditorToken);
        assertTrue(b.url().endsWith("/console/tenants/acme/audit"), b.url());
        new Select(b.$("#f-kind")).selectByValue("DELIVERED");
        b.$("#f-externalUser").sendKeys("u-tanaka");
        b.go("#search");
        assertEquals(List.of("DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED"), kinds());
        String results = b.$("#audit-results").getText();
        assertTrue(results.contains("It costs 980 yen."), results);
        assertTrue(results.contains("Unsent"), "m4 shown as unsent");
        assertFalse(results.contains("9800 yen"), "without its content");
        assertTrue(results.indexOf("It costs 980 yen.") < results.indexOf("Yes, from 10 to 18."), "newest first");
        b.shot("audit-search", ConsoleBrowser.WIDTH);
        b.shot("audit-search-phone", ConsoleBrowser.PHONE);

        // pages: each read is itself in the trail, so reads make the trail longer than a page of 50
        for (int i = 0; i < 60 && api("?limit=60").get("items").size() <= 50; i++) {
            assertTrue(api("?limit=1").get("items").size() == 1);
        }
        eventually("more than a page in the trail", () -> api("?limit=60").get("items").size() > 50);
        b.open("/console/tenants/acme/audit");
        List<String> first = b.driver.findElements(By.cssSelector("#audit-results tbody tr")).stream()
                .map(r -> r.getAttribute("data-audit-id")).toList();
        assertEquals(50, first.size());
        b.go("#next-page");
        List<String> second = b.driver.findElements(By.cssSelector("#audit-results tbody tr")).stream()
                .map(r -> r.getAttribute("data-audit-id")).toList();
        assertFalse(second.isEmpty());
        assertTrue(second.stream().noneMatch(first::contains), "the next page goes on where the first ended");
        assertTrue(b.url().contains("cursor="), b.url());
        b.go("#newest");
        assertFalse(b.url().contains("cursor="));
    }

    @Test
    @Order(3)
    void theDroppedRoomsConversationInChatFormWithTheUnsentMessage() throws IOException {
        b.open("/console/tenants/acme/audit?room=" + room);
        b.go(b.driver.findElements(By.cssSelector(".room-link")).get(0));
        assertTrue(b.url().endsWith("/console/tenants/acme/audit/rooms/" + room), b.url());
        assertTrue(b.$("#room-dropped").getText().contains("This room was deleted (connector not allowed)"), b.text());
        List<WebElement> bubbles = b.driver.findElements(By.cssSelector("#chat .bubble"));
        List<String> sides = bubbles.stream().map(e -> e.getAttribute("class").replace("bubble ", "")).toList();
        assertEquals(List.of("theirs", "mine", "theirs", "mine", "mine"), sides, "oldest first, the member on the right");
        assertTrue(bubbles.get(0).getText().contains("Hello, are you open on Sunday?"));
        assertTrue(bubbles.get(2).getText().contains("item.jpg"));
        assertTrue(bubbles.get(2).findElement(By.cssSelector(".marker.stripped")).getText().contains("removed"),
                bubbles.get(2).getText());
        assertTrue(bubbles.get(3).getText().contains("Unsent"), bubbles.get(3).getText());
        assertFalse(bubbles.get(3).getText().contains("9800"), "an unsent message shows no content");
        assertTrue(bubbles.get(4).getText().contains("It costs 980 yen."));
        List<String> notes = b.driver.findElements(By.cssSelector("#chat .note")).stream().map(e -> e.getAttribute("data-kind")).toList();
        assertEquals(List.of("ROOM_OPENED", "UNSENT", "ROOM_DROPPED"), notes);
        String x = bubbles.get(1).getCssValue("align-self");
        assertEquals("flex-end", x, "the member's bubble on the right");
        b.shot("audit-conversation", ConsoleBrowser.WIDTH);
        b.shot("audit-conversation-phone", ConsoleBrowser.PHONE);
        b.go("#lang-switch");
        assertTrue(b.text().contains("トーク履歴"), b.text());
        assertTrue(b.text().contains("送信取消"));
        b.shot("audit-conversation-ja", ConsoleBrowser.WIDTH);
        b.go("#lang-switch");
    }

    @Test
    @Order(4)
    void theExportOfTheSearchIsDownloadedWithItsRows() throws Exception {
        b.open("/console/tenants/acme/audit?room=" + room);
        int rows = b.driver.findElements(By.cssSelector("#audit-results tbody tr")).size();
        b.$("#export-csv").click();
        Path csv = downloaded(".csv");
        String body = Files.readString(csv, StandardCharsets.UTF_8);
        List<String> lines = List.of(body.substring(1).split("\r\n"));
        assertEquals(rows + 1, lines.size(), body);
        assertTrue(lines.get(0).startsWith("time,auditId,kind"));
        assertTrue(body.contains("It costs 980 yen."));
        assertFalse(body.contains("9800"));
        assertTrue(lines.get(1).contains("ROOM_DROPPED"), "newest first");
        eventually("the export audited as a read", () -> s.readAll(s.topics.auditIntake).stream()
                .anyMatch(r -> "console-export:csv".equals(r.detail().get("surface")) && room.equals(r.detail().get("filter.room"))
                        && "aude".equals(r.actor().id())));
    }

    @Test
    @Order(5)
    void anAuditorOfAnotherTenantIsRefused() throws IOException {
        b.go("#sign-out");
        b.signIn(s.globexAuditorToken);
        assertTrue(b.url().endsWith("/console/tenants/globex/audit"), b.url());
        b.open("/console/tenants/acme/audit/rooms/" + room);
        assertTrue(b.$("#error-message").getText().contains("You may not open another tenant’s pages."), b.text());
        assertFalse(b.text().contains("980 yen"));
        b.open("/console/tenants/acme/audit/export?format=csv&room=" + room);
        assertTrue(b.$("#error-message").getText().contains("another tenant"), b.text());
        b.shot("audit-forbidden", ConsoleBrowser.WIDTH);
    }

    static Path downloaded(String suffix) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            try (Stream<Path> files = Files.list(downloads)) {
                var done = files.filter(p -> p.toString().endsWith(suffix)).findFirst();
                if (done.isPresent()) {
                    return done.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + suffix + " downloaded");
    }
}
