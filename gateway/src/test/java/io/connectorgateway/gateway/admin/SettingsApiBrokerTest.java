package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Settings and plan operations against a real server and broker: validation, versions, audit, read-your-writes. */
@ExtendWith(KafkaBrokerExtension.class)
class SettingsApiBrokerTest {
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static String settings(String tenant, Connector c) {
        return "/admin/v1/tenants/" + tenant + "/connectors/" + c + "/settings";
    }

    static AdminServer.Answer patch(String token, String tenant, Connector c, long version, Object body) {
        return s.call("PATCH", settings(tenant, c), token, body, Map.of("If-Match", "\"" + version + "\""));
    }

    static AdminServer.Answer plan(String tenant, String plan) {
        return s.call("PUT", "/admin/v1/tenants/" + tenant + "/plan", s.operatorToken, Map.of("plan", plan, "reason", "contract signed"));
    }

    static long version(String token, String tenant, Connector c) {
        return s.call("GET", settings(tenant, c), token, null).body().get("version").asLong();
    }

    @Test
    void aChangeIsVersionedAuditedAndVisibleToTheNextRead() {
        var absent = s.call("GET", settings("acme", Connector.LINE), s.acmeToken, null);
        assertEquals(200, absent.status());
        assertEquals(0, absent.body().get("version").asLong());
        assertEquals("\"0\"", absent.header("ETag"));
        assertFalse(absent.body().get("enabled").asBoolean());

        var noVersion = s.call("PATCH", settings("acme", Connector.LINE), s.acmeToken, Map.of("enabled", true, "reason", "go"));
        assertEquals(428, noVersion.status());

        var planned = plan("acme", "LITE");
        assertEquals(200, planned.status(), planned.body().toString());
        assertEquals(2, planned.body().get("settings").size());
        planned.body().get("settings").forEach(row -> assertEquals(1, row.get("version").asLong()));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", true);
        body.put("permissionMode", "BY_MEMBER");
        body.put("autoGrantNewMembers", true);
        body.put("greeting", Map.of("enabled", true, "text", "Hello {userName}", "salesInfo", "10% off this week"));
        body.put("attachments", Map.of("enabled", true, "action", "BLOCK", "kinds", List.of("IMAGE", "FILE")));
        body.put("reason", "launch on LINE");
        var changed = patch(s.acmeToken, "acme", Connector.LINE, 1, body);
        assertEquals(200, changed.status(), String.valueOf(changed.body()));
        assertEquals(2, changed.body().get("version").asLong());
        assertEquals("\"2\"", changed.header("ETag"));

        // Read-your-writes: the very next read shows it, no waiting.
        JsonNode read = s.call("GET", settings("acme", Connector.LINE), s.acmeToken, null).body();
        assertEquals(2, read.get("version").asLong());
        assertTrue(read.get("enabled").asBoolean());
        assertEquals("BY_MEMBER", read.get("permissionMode").asText());
        assertTrue(read.get("autoGrantNewMembers").asBoolean());
        assertEquals("Hello {userName}", read.at("/greeting/text").asText());
        assertEquals("10% off this week", read.at("/greeting/salesInfo").asText());
        assertEquals("BLOCK", read.at("/attachments/action").asText());
        assertEquals(2, read.at("/attachments/kinds").size());
        assertEquals("alice", read.at("/change/actor/id").asText());
        assertEquals("launch on LINE", read.at("/change/reason").asText());
        // The other connector row was not touched by the patch.
        assertEquals(1, version(s.acmeToken, "acme", Connector.WORKS));

        TenantSettings onTopic = s.readAll(s.topics.settings).stream()
                .filter(r -> r.tenant().equals("acme") && r.connector() == Connector.LINE && r.version() == 2)
                .findFirst().orElseThrow();
        assertEquals("BY_MEMBER", onTopic.permissionMode().name());
        AuditRecord audit = s.readAll(s.topics.auditIntake).stream()
                .filter(r -> r.tenant().equals("acme") && r.kind() == AuditKind.SETTINGS_CHANGED
                        && r.connector() == Connector.LINE && r.settingsVersion() == 2)
                .findFirst().orElseThrow();
        assertEquals("R10", audit.rule());
        assertEquals("alice", audit.actor().id());
        assertEquals("launch on LINE", audit.reason());
        assertEquals(1, audit.before().get("version").asLong());
        assertFalse(audit.before().get("enabled").asBoolean());
        assertEquals(2, audit.after().get("version").asLong());
        assertTrue(audit.after().get("enabled").asBoolean());
    }

    @Test
    void everyRuleIsCheckedBeforeAnythingIsWritten() {
        String t = "rules-tenant";
        String op = s.operatorToken;
        // Plan FREE (no row yet): R1.
        assertViolation(patch(op, t, Connector.LINE, 0, Map.of("enabled", true, "reason", "r")), "R1", "enabled");
        assertViolation(patch(op, t, Connector.LINE, 0, Map.of("attachments", Map.of("enabled", true), "reason", "r")),
                "R1", "attachments.enabled");
        assertEquals(200, plan(t, "BASIC").status());
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("autoGrantNewMembers", true, "reason", "r")),
                "R9", "autoGrantNewMembers");
        assertViolation(patch(op, t, Connector.WORKS, 1, Map.of("greeting", Map.of("enabled", true, "text", "hi"),
                "reason", "r")), "R7", "greeting.enabled");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("greeting", Map.of("enabled", true), "reason", "r")),
                "R7", "greeting.text");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("greeting", Map.of("enabled", true, "text", "  "),
                "reason", "r")), "R7", "greeting.text");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("greeting", Map.of("text", "x".repeat(5001)),
                "reason", "r")), "R7", "greeting.text");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("greeting", Map.of("salesInfo", "x".repeat(5001)),
                "reason", "r")), "R7", "greeting.salesInfo");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("attachments", Map.of("enabled", true,
                "kinds", List.of("IMAGE", "STICKER")), "reason", "r")), "R8", "attachments.kinds");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("enabled", true)), "R10", "reason");
        assertViolation(patch(op, t, Connector.LINE, 1, Map.of("enabled", true, "reason", " ")), "R10", "reason");
        // Malformed requests: 400 naming the problem.
        assertEquals(400, patch(op, t, Connector.LINE, 1, "{\"enabeld\": true, \"reason\": \"typo\"}").status());
        assertEquals(400, patch(op, t, Connector.LINE, 1, "{\"enabled\": ").status());
        assertEquals(400, patch(op, t, Connector.LINE, 1, "{\"enabled\": \"yes\", \"reason\": \"r\"}").status());
        assertEquals(400, patch(op, t, Connector.LINE, 1, Map.of("reason", "nothing set")).status());
        assertEquals(400, s.call("PATCH", settings(t, Connector.LINE), op, Map.of("enabled", true, "reason", "r"),
                Map.of("If-Match", "\"abc\"")).status());
        assertEquals(400, s.call("GET", "/admin/v1/tenants/" + t + "/connectors/SMS/settings", op, null).status());

        // A greeting of exactly LINE's limit is fine; the version moves by one.
        var ok = patch(op, t, Connector.LINE, 1, Map.of("enabled", true, "greeting", Map.of("enabled", true,
                "text", "y".repeat(5000)), "reason", "longest greeting"));
        assertEquals(200, ok.status(), String.valueOf(ok.body()));
        assertEquals(2, ok.body().get("version").asLong());

        // Nothing refused reached the topics: LINE has exactly the plan row and the accepted change.
        List<Long> lineVersions = s.readAll(s.topics.settings).stream()
                .filter(r -> r.tenant().equals(t) && r.connector() == Connector.LINE).map(TenantSettings::version).toList();
        assertEquals(List.of(1L, 2L), lineVersions);
        long audits = s.readAll(s.topics.auditIntake).stream().filter(r -> r.tenant().equals(t)).count();
        assertEquals(3, audits, "two plan rows and one accepted change");
    }

    @Test
    void lowerPlanKeepsRowsEditableAndOnlyOperatorsChangePlans() {
        String t = "plan-tenant";
        assertEquals(200, plan(t, "LITE").status());
        assertEquals(200, patch(s.operatorToken, t, Connector.LINE, 1, Map.of("enabled", true, "reason", "on")).status());
        var down = plan(t, "FREE");
        assertEquals(200, down.status());
        assertEquals("FREE", down.body().get("plan").asText());
        // Still enabled on the row (the stream treats it as off), and other fields stay editable...
        JsonNode row = s.call("GET", settings(t, Connector.LINE), s.operatorToken, null).body();
        assertEquals(3, row.get("version").asLong());
        assertTrue(row.get("enabled").asBoolean());
        assertEquals(200, patch(s.operatorToken, t, Connector.LINE, 3, Map.of("greeting", Map.of("text", "hi"),
                "reason", "prepare")).status());
        // ...but switching something on below LITE is refused.
        assertViolation(patch(s.operatorToken, t, Connector.LINE, 4, Map.of("enabled", true, "reason", "again")), "R1", "enabled");
        var missingPlan = s.call("PUT", "/admin/v1/tenants/" + t + "/plan", s.operatorToken, Map.of("reason", "?"));
        assertEquals(422, missingPlan.status());
        assertEquals("R1", missingPlan.body().at("/violations/0/rule").asText());
    }

    @Test
    void aStaleVersionAndConcurrentEditsGetExactlyOneConflict() throws Exception {
        String t = "race-tenant";
        assertEquals(200, plan(t, "LITE").status());
        var stale = patch(s.operatorToken, t, Connector.LINE, 0, Map.of("enabled", true, "reason", "stale"));
        assertEquals(409, stale.status());
        assertEquals(1, stale.body().get("currentVersion").asLong());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                long v = version(s.operatorToken, t, Connector.LINE);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    boolean on = i == 0;
                    results.add(pool.submit(() -> {
                        go.await();
                        return patch(s.operatorToken, t, Connector.LINE, v, Map.of("enabled", on, "reason", "race")).status();
                    }));
                }
                go.countDown();
                Map<Integer, Integer> statuses = new HashMap<>();
                for (Future<Integer> f : results) {
                    statuses.merge(f.get(), 1, Integer::sum);
                }
                assertEquals(Map.of(200, 1, 409, 1), statuses, "round " + round);
                assertEquals(v + 1, version(s.operatorToken, t, Connector.LINE));
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> versions = s.readAll(s.topics.settings).stream()
                .filter(r -> r.tenant().equals(t) && r.connector() == Connector.LINE).map(TenantSettings::version).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), versions, "no version written twice");
    }

    static void assertViolation(AdminServer.Answer a, String rule, String field) {
        assertEquals(422, a.status(), String.valueOf(a.body()));
        assertEquals("validation", a.body().get("error").asText());
        boolean named = false;
        for (JsonNode v : a.body().get("violations")) {
            named |= v.get("rule").asText().equals(rule) && v.get("field").asText().equals(field);
        }
        assertTrue(named, "expected " + rule + " " + field + " in " + a.body());
        assertNull(a.body().get("currentVersion"));
    }

    static void awaitKnown(String token, String tenant, String member) {
        eventually(member + " known from the directory", () -> s.call("POST", "/admin/v1/tenants/" + tenant
                + "/connectors/WORKS/members", token, Map.of("add", List.of(member), "reason", "probe")).status() == 200);
    }
}
