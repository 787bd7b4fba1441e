package io.connectorgateway.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The authorisation matrix: no or wrong credential (401), a tenant admin on another tenant (403),
 * a tenant admin on operator-only operations (403); and a refused call writes nothing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AuthorizationBrokerTest {
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    record Call(String method, String path, Object body) {
    }

    /** Every operation of the API, on {@code tenant}. */
    static List<Call> everyOperation(String tenant) {
        String c = "/admin/v1/tenants/" + tenant + "/connectors/LINE";
        return List.of(
                new Call("GET", c + "/settings", null),
                new Call("PATCH", c + "/settings", Map.of("enabled", false, "reason", "r", "expectedVersion", 0)),
                new Call("PUT", "/admin/v1/tenants/" + tenant + "/plan", Map.of("plan", "LITE", "reason", "r")),
                new Call("GET", c + "/members", null),
                new Call("POST", c + "/members", Map.of("add", List.of("m1"), "reason", "r")),
                new Call("POST", c + "/members:reset-urls", Map.of("all", true, "reason", "r")),
                new Call("POST", c + "/impact", Map.of("enabled", false)),
                new Call("GET", "/admin/v1/tenants/" + tenant + "/audit", null),
                new Call("GET", "/admin/v1/tenants/" + tenant + "/audit:tail?waitSeconds=0", null));
    }

    @Test
    void refusedCallsAreRefusedAndWriteNothing() {
        for (Call call : everyOperation("globex")) {
            var none = s.call(call.method(), call.path(), null, call.body());
            assertEquals(401, none.status(), call + " without credential");
            assertNotNull(none.header("WWW-Authenticate"));
            assertEquals(401, s.call(call.method(), call.path(), AdminCredentials.newToken(), call.body()).status(),
                    call + " with an unknown token");
            assertEquals(401, s.call(call.method(), call.path(), null, call.body(),
                    Map.of("Authorization", "Basic " + s.globexToken)).status(), call + " with another scheme");
            var other = s.call(call.method(), call.path(), s.acmeToken, call.body());
            assertEquals(403, other.status(), call + " with acme's credential on globex");
            assertEquals("forbidden", other.body().get("error").asText());
        }
        // Operator-only, even on one's own tenant.
        var plan = s.call("PUT", "/admin/v1/tenants/globex/plan", s.globexToken, Map.of("plan", "ADVANCED", "reason", "r"));
        assertEquals(403, plan.status());
        assertTrue(plan.body().get("message").asText().contains("operator"));

        // Nothing above reached a topic.
        assertEquals(0, s.readAll(s.topics.settings).size());
        assertEquals(0, s.readAll(s.topics.members).size());
        assertEquals(0, s.readAll(s.topics.auditIntake).size());

        // The right credentials work: the tenant's own admin and the operator.
        assertEquals(200, s.call("GET", "/admin/v1/tenants/globex/connectors/LINE/settings", s.globexToken, null).status());
        assertEquals(200, s.call("GET", "/admin/v1/tenants/globex/audit", s.globexToken, null).status());
        var operator = s.call("PUT", "/admin/v1/tenants/globex/plan", s.operatorToken, Map.of("plan", "LITE", "reason", "r"));
        assertEquals(200, operator.status());
        assertEquals(2, s.readAll(s.topics.settings).size());
        s.readAll(s.topics.auditIntake).forEach(a -> assertEquals(Actor.Role.OPERATOR, a.actor().role()));
    }

    @Test
    void credentialsAreConfiguredAsHashesOnly() {
        AdminCredentials creds = new AdminCredentials(List.of("bob:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex("s3cret-token")));
        assertEquals("bob", creds.authenticate("s3cret-token").orElseThrow().id());
        assertTrue(creds.authenticate("s3cret-tokeN").isEmpty());
        assertTrue(creds.authenticate("").isEmpty());
        assertThrowsIllegal(() -> new AdminCredentials(List.of("bob:TENANT_ADMIN:acme:abcd")));
        assertThrowsIllegal(() -> new AdminCredentials(List.of("bob:MEMBER:acme:" + AdminCredentials.sha256Hex("x"))));
        assertThrowsIllegal(() -> new AdminCredentials(List.of("bob:TENANT_ADMIN:acme")));
    }

    private static void assertThrowsIllegal(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("expected IllegalArgumentException");
    }
}
