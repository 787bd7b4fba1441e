package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway instances on the same topics: each answers for every tenant from its own view of
 * the topics, a change made on one is seen and built on by the other, and tail cursors are
 * portable between them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MultiInstanceBrokerTest {

    @Test
    void everyInstanceServesEveryTenantFromTheTopics(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (AdminServer a = new AdminServer(broker, ns)) {
            Map<String, Object> sameCredentials = Map.of(
                    "gateway.admin.instance-id", ns.appId("second"),
                    "gateway.admin.credentials", List.of(
                            "alice:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(a.acmeToken),
                            "olga:OPERATOR:*:" + AdminCredentials.sha256Hex(a.operatorToken),
                            "aude:AUDITOR:acme:" + AdminCredentials.sha256Hex(a.acmeAuditorToken)));
            try (AdminServer b = new AdminServer(broker, ns, sameCredentials)) {
                AdminServer.awaitSplit(a, b, 2);
                String settings = "/admin/v1/tenants/acme/connectors/LINE/settings";
                String tailCursor = a.call("GET", "/admin/v1/tenants/acme/audit:tail", a.acmeAuditorToken, null).body()
                        .get("cursor").asText();

                assertEquals(200, a.call("PUT", "/admin/v1/tenants/acme/plan", a.operatorToken,
                        Map.of("plan", "LITE", "reason", "via a")).status());
                eventually("b sees a's plan change", () -> b.call("GET", settings, a.acmeToken, null).body()
                        .get("version").asLong() == 1);
                var onB = b.call("PATCH", settings, a.acmeToken, Map.of("enabled", true, "reason", "via b"),
                        Map.of("If-Match", "\"1\""));
                assertEquals(200, onB.status(), String.valueOf(onB.body()));
                eventually("a sees b's change", () -> a.call("GET", settings, a.acmeToken, null).body()
                        .get("version").asLong() == 2);
                assertEquals(409, a.call("PATCH", settings, a.acmeToken, Map.of("enabled", false, "reason", "stale"),
                        Map.of("If-Match", "\"1\"")).status());

                // A cursor taken on a continues on b: it is made of Kafka offsets, not local state.
                var tailed = b.call("GET", "/admin/v1/tenants/acme/audit:tail?kind=SETTINGS_CHANGED&connector=LINE&waitSeconds=20&cursor="
                        + tailCursor, a.acmeAuditorToken, null).body();
                eventually("both changes searchable on a", () -> a.call("GET",
                        "/admin/v1/tenants/acme/audit?kind=SETTINGS_CHANGED&connector=LINE", a.acmeAuditorToken, null)
                        .body().get("items").size() == 2);
                assertEquals("via a", tailed.at("/items/0/reason").asText());
            }
        }
    }
}
