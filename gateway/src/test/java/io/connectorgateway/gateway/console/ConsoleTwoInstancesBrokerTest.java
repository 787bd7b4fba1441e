package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway instances with the same console session key: a page of a tenant that the other
 * instance owns is answered by the owner (the console request is forwarded, as the API's are), and a
 * save made through the instance the browser talks to is written by the owner as the signed-in credential.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleTwoInstancesBrokerTest {
    @Test
    void aTenantOwnedByTheOtherInstanceIsServedThroughIt(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String sessionKey = Base64.getEncoder().encodeToString(key);
        try (AdminServer a = new AdminServer(broker, ns, Map.of("gateway.console.session-key", sessionKey))) {
            Map<String, Object> second = Map.of(
                    "gateway.console.session-key", sessionKey,
                    "gateway.admin.instance-id", ns.appId("second"),
                    "gateway.admin.credentials", List.of("olga:OPERATOR:*:" + AdminCredentials.sha256Hex(a.operatorToken)));
            try (AdminServer b = new AdminServer(broker, ns, second)) {
                AdminServer.awaitSplit(a, b, 2);
                String tenant = IntStream.range(0, 100).mapToObj(i -> "remote" + i)
                        .filter(t -> b.view().activePartitions().contains(b.view().partition(t))).findFirst().orElseThrow();
                String page = "/console/tenants/" + tenant + "/connectors/WORKS";

                ConsoleClient browser = new ConsoleClient(a.url());
                assertEquals(303, browser.signIn(a.operatorToken).statusCode());
                var shown = browser.get(page);
                assertEquals(200, shown.statusCode(), shown.body());
                assertTrue(shown.body().contains("Chat with NAVER WORKS users from other companies"));
                assertEquals(ConsolePages.CSP, shown.headers().firstValue("Content-Security-Policy").orElse(null));

                var saved = browser.post(page, Map.of("csrf", ConsoleClient.csrf(shown.body()), "expectedVersion", "0",
                        "permissionMode", "BY_MEMBER", "reason", "through a"));
                assertEquals(303, saved.statusCode(), saved.body());
                assertEquals(page + "?saved=1", saved.headers().firstValue("Location").orElse(null));
                var row = b.call("GET", "/admin/v1/tenants/" + tenant + "/connectors/WORKS/settings", a.operatorToken, null).body();
                assertEquals("BY_MEMBER", row.get("permissionMode").asText());
                assertEquals("olga", row.at("/change/actor/id").asText());

                var forged = browser.post(page, Map.of("csrf", "forged", "expectedVersion", "1", "reason", "x"));
                assertEquals(403, forged.statusCode());

                // Admin Audit of that tenant through a: the owner's search, its export relayed as it streams
                String audit = "/console/tenants/" + tenant + "/audit?kind=SETTINGS_CHANGED";
                eventually("the change in the owner's trail", () -> browser.get(audit).body().contains("through a"));
                var export = browser.get("/console/tenants/" + tenant + "/audit/export?kind=SETTINGS_CHANGED&format=jsonl");
                assertEquals(200, export.statusCode(), export.body());
                assertTrue(export.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"audit-"
                        + tenant + "-"), export.headers().map().toString());
                assertTrue(export.headers().firstValue("Content-Length").isEmpty(), "relayed as it streams");
                assertEquals(1, export.body().lines().filter(l -> l.contains("\"reason\":\"through a\"")).count(), export.body());
            }
        }
    }
}
