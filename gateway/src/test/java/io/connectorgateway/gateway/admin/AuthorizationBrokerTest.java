package io.connectorgateway.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The authorisation matrix: no or wrong credential (401), a tenant admin on another tenant (403),
 * a tenant admin on operator-only operations (403); and a refused call writes nothing. Then the
 * same proven for every route the running application registered.
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
        // (audit searches answered to the admitted callers of the route walk are themselves audited)
        assertEquals(0, s.readAll(s.topics.auditIntake).stream().filter(a -> a.kind() != AuditKind.CONTENT_READ).count());

        // The right credentials work: the tenant's own admin and the operator.
        assertEquals(200, s.call("GET", "/admin/v1/tenants/globex/connectors/LINE/settings", s.globexToken, null).status());
        assertEquals(200, s.call("GET", "/admin/v1/tenants/globex/audit", s.globexAuditorToken, null).status());
        // least privilege: the tenant admin changes settings but does not read messages; the auditor the reverse
        assertEquals(403, s.call("GET", "/admin/v1/tenants/globex/audit", s.globexToken, null).status());
        assertEquals(403, s.call("GET", "/admin/v1/tenants/globex/connectors/LINE/settings", s.globexAuditorToken, null).status());
        var operator = s.call("PUT", "/admin/v1/tenants/globex/plan", s.operatorToken, Map.of("plan", "LITE", "reason", "r"));
        assertEquals(200, operator.status());
        assertEquals(2, s.readAll(s.topics.settings).size());
        // the plan change's records, by the operator; and the auditor's read of the trail, itself audited
        s.readAll(s.topics.auditIntake).stream().filter(a -> a.kind() != AuditKind.CONTENT_READ)
                .forEach(a -> assertEquals(Actor.Role.OPERATOR, a.actor().role()));
        assertTrue(s.readAll(s.topics.auditIntake).stream().anyMatch(a -> a.kind() == AuditKind.CONTENT_READ
                && a.actor().id().equals("gaby") && a.tenant().equals("globex")));
    }

    @Test
    void credentialsAreConfiguredAsHashesOnly() {
        AdminCredentials creds = new AdminCredentials(List.of("bob:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex("s3cret-token")));
        assertEquals("bob", creds.authenticate("s3cret-token").orElseThrow().id());
        assertTrue(creds.authenticate("s3cret-tokeN").isEmpty());
        assertTrue(creds.authenticate("").isEmpty());
        assertThrowsIllegal(() -> new AdminCredentials(List.of("bob:TENANT_ADMIN:acme:abcd")));
        assertThrowsIllegal(() -> new AdminCredentials(List.of("bob:MEMBER:acme:" + AdminCredentials.sha256Hex("x"))));
        assertEquals(Actor.Role.AUDITOR, new AdminCredentials(List.of("aude:AUDITOR:acme:" + AdminCredentials.sha256Hex("t")))
                .authenticate("t").orElseThrow().role());
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

    // ---------------------------------------------------------------- every console route

    /** A signed-in console browser of {@code token} and the CSRF token of its session. */
    record Console(io.connectorgateway.gateway.console.ConsoleClient client, String csrf) {
        static Console of(String token, String page) {
            var c = new io.connectorgateway.gateway.console.ConsoleClient(s.url());
            assertEquals(303, c.signIn(token).statusCode());
            return new Console(c, io.connectorgateway.gateway.console.ConsoleClient.csrf(c.get(page).body()));
        }
    }

    /**
     * The console cannot be used to get round {@code @AdminAccess}: walks EVERY route the running
     * application registered under {@code /console} and calls each on tenant {@code globex}:
     * without a session (sign-in page or 401), with {@code acme}'s credentials (403), with globex's own
     * credential of each role the route does not admit (403) and of each it admits, and the operator
     * (neither 401 nor 403); a POST without the session's CSRF token is refused (403) even for an
     * operator. Only sign-in and the language switch are public ({@code @ConsolePublic}).
     */
    @Test
    void everyConsoleRouteAdmitsOnlyWhomTheApiAdmits() {
        List<UriRouteInfo<?, ?>> routes = s.context.getBean(Router.class).uriRoutes()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/console"))
                .<UriRouteInfo<?, ?>>map(r -> r).toList();
        assertTrue(routes.size() >= 9, "console routes found: " + routes.size());
        String globexLine = "/console/tenants/globex/connectors/LINE";
        List<String> publicRoutes = new ArrayList<>();
        for (UriRouteInfo<?, ?> route : routes) {
            String template = route.getUriMatchTemplate().toString();
            String method = route.getHttpMethodName();
            String what = method + " " + template;
            if (route.getAnnotationMetadata().hasAnnotation(io.connectorgateway.gateway.console.ConsolePublic.class)) {
                publicRoutes.add(what);
                continue;
            }
            assertTrue(!template.contains("/tenants/{") || template.contains("/tenants/{tenant}"),
                    what + ": the console filter reads the tenant from the variable named tenant");
            Map<String, Object> values = new HashMap<>();
            for (String name : route.getUriMatchTemplate().getVariableNames()) {
                values.put(name, name.equals("tenant") ? "globex" : name.equals("connector") ? "LINE" : "x1");
            }
            String path = route.getUriMatchTemplate().expand(values);
            Set<Actor.Role> allowed = AdminAuthFilter.allowedRoles(route.getAnnotationMetadata());

            var anonymous = new io.connectorgateway.gateway.console.ConsoleClient(s.url()).call(method, path, Map.of());
            if (method.equals("GET")) {
                assertEquals(303, anonymous.statusCode(), what + " without a session");
                assertEquals("/console/sign-in", anonymous.headers().firstValue("Location").orElse(null));
            } else {
                assertEquals(401, anonymous.statusCode(), what + " without a session");
            }
            boolean tenantRoute = template.contains("{tenant}");
            for (var other : Map.of(s.acmeToken, "/console/tenants/acme/connectors/LINE", s.acmeAuditorToken,
                    "/console/tenants/acme/audit").entrySet()) {
                Console c = Console.of(other.getKey(), other.getValue());
                if (tenantRoute) {
                    assertEquals(403, c.client().call(method, path, Map.of("csrf", c.csrf())).statusCode(),
                            what + " with an acme credential");
                }
            }
            Map<Actor.Role, String> globex = Map.of(Actor.Role.TENANT_ADMIN, s.globexToken, Actor.Role.AUDITOR,
                    s.globexAuditorToken);
            for (var own : globex.entrySet()) {
                Console c = Console.of(own.getValue(), own.getKey() == Actor.Role.AUDITOR ? "/console/tenants/globex/audit"
                        : globexLine);
                int status = c.client().call(method, path, Map.of("csrf", c.csrf(), "expectedVersion", "0", "reason", "walk"))
                        .statusCode();
                if (allowed.contains(own.getKey())) {
                    assertFalse(status == 401 || status == 403, what + " as globex " + own.getKey() + ": " + status);
                } else {
                    assertEquals(403, status, what + " as globex " + own.getKey() + " (not admitted)");
                }
            }
            Console operator = Console.of(s.operatorToken, "/console/tenants");
            int status = operator.client().call(method, path, Map.of("csrf", operator.csrf(), "expectedVersion", "0",
                    "reason", "walk")).statusCode();
            assertFalse(status == 401 || status == 403, what + " as operator: " + status);
            if (method.equals("POST")) {
                Console fresh = Console.of(s.operatorToken, "/console/tenants");
                assertEquals(403, fresh.client().call(method, path, Map.of("expectedVersion", "0", "reason", "walk"))
                        .statusCode(), what + " without the CSRF token");
                assertEquals(403, fresh.client().call(method, path, Map.of("csrf", operator.csrf(), "expectedVersion", "0",
                        "reason", "walk")).statusCode(), what + " with another session's CSRF token");
            }
        }
        assertEquals(Set.of("GET /console/sign-in", "POST /console/sign-in", "GET /console/lang", "HEAD /console/sign-in",
                "HEAD /console/lang"), Set.copyOf(publicRoutes));
    }

    // ---------------------------------------------------------------- every registered route

    static List<UriRouteInfo<?, ?>> tenantRoutes() {
        return s.context.getBean(Router.class).uriRoutes()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith(AdminAuthFilter.TENANT_ROUTES))
                .<UriRouteInfo<?, ?>>map(r -> r).toList();
    }

    /** The route's path with its tenant variable set to {@code tenant} and any other to a valid value. */
    static String path(UriRouteInfo<?, ?> route, String tenant) {
        var template = route.getUriMatchTemplate();
        String first = template.toString().substring(AdminAuthFilter.TENANT_ROUTES.length() + 1).split("[}:?*]", 2)[0];
        Map<String, Object> values = new HashMap<>();
        for (String name : template.getVariableNames()) {
            values.put(name, name.equals(first) ? tenant : name.equals("connector") ? "LINE" : "x1");
        }
        return template.expand(values);
    }

    /**
     * Authorisation by construction: walks EVERY route the running application registered under
     * {@code /admin/v1/tenants/{t}/**} (Micronaut's {@link Router}, so a route added tomorrow is walked
     * too) and calls each one over HTTP on tenant {@code globex}:
     * <ul>
     *   <li>with {@code acme}'s tenant admin and auditor credentials: 403 naming the tenant;</li>
     *   <li>with {@code globex}'s own credential of each role the route does not admit: 403;</li>
     *   <li>with {@code globex}'s credential of an admitted role and with the operator's: neither 401 nor 403
     *       (so the refusals above come from the role and the tenant, not from a broken credential);</li>
     * </ul>
     * and checks the SPEC's least-privilege invariants on the declared roles: no route admits both tenant
     * admins and auditors, and auditors only read. The test sources add a route with no protection of
     * its own ({@link UnprotectedProbeController}): it is walked like the others and found closed.
     */
    @Test
    void everyTenantRouteRefusesAnotherTenantsCredentialAndTheWrongRole() {
        List<UriRouteInfo<?, ?>> routes = tenantRoutes();
        int settingsBefore = s.readAll(s.topics.settings).size();
        int membersBefore = s.readAll(s.topics.members).size();
        // the nine routes of ADMIN.md and the test sources' probe: the walk sees what the app registered
        assertTrue(routes.size() >= 10, "tenant routes found: " + routes.size());
        assertTrue(routes.stream().anyMatch(r -> r.getUriMatchTemplate().toString().contains("/probe")));

        Map<Actor.Role, String> globex = Map.of(Actor.Role.TENANT_ADMIN, s.globexToken, Actor.Role.AUDITOR,
                s.globexAuditorToken);
        List<String> checked = new ArrayList<>();
        for (UriRouteInfo<?, ?> route : tenantRoutes()) {
            String method = route.getHttpMethodName();
            String path = path(route, "globex");
            String body = method.equals("GET") || method.equals("DELETE") || method.equals("HEAD") ? null : "{}";
            String what = method + " " + route.getUriMatchTemplate() + " as " + path;
            Set<Actor.Role> allowed = AdminAuthFilter.allowedRoles(route.getAnnotationMetadata());

            for (String other : List.of(s.acmeToken, s.acmeAuditorToken)) {
                var a = s.call(method, path, other, body);
                assertEquals(403, a.status(), what + " with an acme credential: " + a.body());
                if (!method.equals("HEAD")) { // Micronaut adds a HEAD route to each GET; its answers have no body
                    assertTrue(a.body().get("message").asText().contains("only on tenant acme"), what + ": " + a.body());
                }
            }
            for (var own : globex.entrySet()) {
                var a = s.call(method, path, own.getValue(), body);
                if (allowed.contains(own.getKey())) {
                    assertFalse(a.status() == 401 || a.status() == 403, what + " as globex " + own.getKey() + ": " + a.body());
                } else {
                    assertEquals(403, a.status(), what + " as globex " + own.getKey() + " (not admitted): " + a.body());
                }
            }
            var operator = s.call(method, path, s.operatorToken, body);
            assertFalse(operator.status() == 401 || operator.status() == 403, what + " as operator: " + operator.body());

            assertFalse(allowed.contains(Actor.Role.TENANT_ADMIN) && allowed.contains(Actor.Role.AUDITOR),
                    what + ": one route for both tenant admins and auditors (SPEC: separate roles)");
            if (allowed.contains(Actor.Role.AUDITOR)) {
                assertTrue(method.equals(HttpMethod.GET.name()) || method.equals(HttpMethod.HEAD.name()),
                        what + ": auditors only read");
            }
            assertFalse(allowed.contains(Actor.Role.OPERATOR) || allowed.contains(Actor.Role.SYSTEM)
                    || allowed.contains(Actor.Role.MEMBER) || allowed.contains(Actor.Role.EXTERNAL_USER),
                    what + ": @AdminAccess lists tenant-bound admin roles only");
            checked.add(what);
        }
        assertEquals(routes.size(), checked.size());
        // the probe has no protection of its own and is closed to everyone but operators
        assertEquals(403, s.call("GET", "/admin/v1/tenants/globex/probe/x1", s.globexToken, null).status());
        assertEquals(200, s.call("GET", "/admin/v1/tenants/globex/probe/x1", s.operatorToken, null).status());
        // nothing the refused calls carried was written (the admitted ones sent "{}": refused as invalid)
        assertEquals(settingsBefore, s.readAll(s.topics.settings).size());
        assertEquals(membersBefore, s.readAll(s.topics.members).size());
    }

    @Test
    void aTenantSpelledDifferentlyInThePathIsNotAnotherWayIn() {
        for (String spelled : List.of("glob%65x", "GLOBEX", "globex%20", "acme%2F..%2Fglobex")) {
            var a = s.call("GET", "/admin/v1/tenants/" + spelled + "/connectors/LINE/settings", s.acmeToken, null);
            assertNotEquals(200, a.status(), spelled + ": " + a.body());
            assertTrue(a.status() == 400 || a.status() == 403 || a.status() == 404, spelled + ": " + a.status());
        }
        // a tenant admin's own tenant, spelled plainly, works: the refusals above are about the spelling
        assertEquals(200, s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null).status());
    }
}
