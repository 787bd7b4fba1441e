package io.connectorgateway.gateway.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.hostile.HostileCase.DeadLettered;
import io.connectorgateway.gateway.hostile.HostileCase.Expect;
import io.connectorgateway.gateway.hostile.HostileCase.Ignored;
import io.connectorgateway.gateway.hostile.HostileCase.Refused;
import io.connectorgateway.gateway.hostile.HostileCase.Request;
import io.connectorgateway.gateway.hostile.WebhookCorpus.Platform;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input suite (issue 9): a corpus of more than a thousand hostile requests, generated
 * from a seed ({@code -Dhostile.seed=...}), against one running gateway (LINE and WORKS webhooks,
 * admin API), then the admin authorisation matrix. Every case must get its specific status and a
 * clear JSON message that leaks no class name or stack frame. Afterwards: nothing reached any
 * topic of the catalogue (read_committed) except the dead letters the product intends, each with
 * its reason, in order; the metrics counted every refusal and every ignored event; and the gateway
 * still serves (health, a valid webhook of each platform, an admin write).
 *
 * <p>Results: the summary line in the test output (see docs/reliability.md, "Bad-input suite").
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputBrokerTest {
    static final long SEED = Long.getLong("hostile.seed", 20_240_917L);
    /** Internals that must never show in an answer: stack frames, exception names, qualified or Jackson-quoted class names. */
    private static final Pattern LEAK = Pattern.compile(
            "\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\b[A-Z]\\w*(Exception|Error)\\b|Caused by"
                    + "|\\b(java|javax|jakarta|sun|com\\.sun|com\\.fasterxml|io\\.micronaut|io\\.netty|org\\.apache|org\\.slf4j|io\\.connectorgateway)\\.[a-z]"
                    + "|`[A-Za-z_$][\\w.$]*`|StreamReadConstraints");

    private static HostileGateway gateway;
    private static final Tally TALLY = new Tally();
    /** Dead letters the product intends, in the order they were caused, by origin (the DLQ key). */
    private static final Map<String, List<String>> EXPECTED_DEAD_LETTERS = new TreeMap<>();
    private static final AtomicInteger EXPECTED_IGNORED = new AtomicInteger();
    private static final AtomicInteger EXPECTED_WEBHOOK_REFUSALS = new AtomicInteger();

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        gateway = new HostileGateway(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println(TALLY.summary());
        if (gateway != null) {
            gateway.close();
        }
    }

    // ---------------------------------------------------------------- the corpus

    @Order(1)
    @TestFactory
    Stream<DynamicNode> corpus() {
        List<HostileCase> all = new ArrayList<>(WebhookCorpus.generate(SEED));
        all.addAll(AdminCorpus.generate(gateway, SEED));
        assertTrue(all.size() >= 1000, "the corpus has only " + all.size() + " cases");
        return byCategory(all);
    }

    private static Stream<DynamicNode> byCategory(List<HostileCase> cases) {
        Map<String, List<HostileCase>> groups = new LinkedHashMap<>();
        cases.forEach(c -> groups.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c));
        return groups.entrySet().stream().map(g -> DynamicContainer.dynamicContainer(g.getKey() + " (" + g.getValue().size() + ")",
                g.getValue().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)))));
    }

    static void run(HostileCase c) {
        HostileGateway.Answer a = gateway.send(c.request());
        TALLY.add(c, a.status());
        String context = c.category() + " / " + c.name() + "\n  request: " + c.request() + "\n  answer: " + a.status() + " "
                + abbreviate(a.body());
        assertEquals(c.expect().status(), a.status(), context);
        assertNoLeak(a.body(), context);
        JsonNode body = json(a.body(), context);
        Expect expect = c.expect();
        if (expect instanceof Refused r) {
            String message = body.path("message").asText("");
            assertFalse(message.isBlank(), "no message in the answer: " + context);
            if (r.field() != null) {
                assertEquals(r.value(), body.path(r.field()).asText(null), context);
                if (r.field().equals("reason")) {
                    EXPECTED_WEBHOOK_REFUSALS.incrementAndGet();
                }
            }
            if (r.messageHint() != null) {
                assertTrue(message.toLowerCase().contains(r.messageHint().toLowerCase()),
                        "message should mention '" + r.messageHint() + "': " + context);
            }
            if (r.rule() != null) {
                JsonNode first = body.path("violations").path(0);
                assertEquals(r.rule(), first.path("rule").asText(null), context);
                assertFalse(first.path("field").asText("").isBlank(), "violation without field: " + context);
            }
            if (a.status() == 401 && "error".equals(r.field())) {
                assertNotNull(a.header("WWW-Authenticate"), context);
            }
        } else if (expect instanceof Ignored i) {
            assertEquals("accepted", body.path("status").asText(), context);
            assertEquals(0, body.path("produced").asInt(-1), context);
            assertEquals(i.events(), body.path("ignored").asInt(-1), context);
            assertEquals(0, body.path("deadLettered").asInt(-1), context);
            EXPECTED_IGNORED.addAndGet(i.events());
        } else if (expect instanceof DeadLettered d) {
            assertEquals("accepted", body.path("status").asText(), context);
            assertEquals(0, body.path("produced").asInt(-1), context);
            assertEquals(d.events(), body.path("deadLettered").asInt(-1), context);
            String origin = c.request().path().startsWith(WebhookCorpus.LINE_PATH) ? "webhook:line/" + HostileGateway.LINE_CHANNEL
                    : "webhook:works/" + HostileGateway.WORKS_BOT_ID;
            for (int i = 0; i < d.events(); i++) {
                EXPECTED_DEAD_LETTERS.computeIfAbsent(origin, k -> new ArrayList<>()).add(d.reasonHint() == null ? "" : d.reasonHint());
            }
        }
    }

    // ---------------------------------------------------------------- authorisation matrix

    /**
     * One admin operation with a valid body, on {@code acme}, and the tenant-bound role that may call
     * it besides operators (null: operators only).
     */
    record Operation(String method, String path, String body, Actor.Role role) {
    }

    static List<Operation> everyOperation() {
        String t = "/admin/v1/tenants/" + HostileGateway.ACME;
        String c = t + "/connectors/LINE";
        Actor.Role admin = Actor.Role.TENANT_ADMIN;
        Actor.Role auditor = Actor.Role.AUDITOR;
        return List.of(
                new Operation("GET", c + "/settings", null, admin),
                new Operation("PATCH", c + "/settings", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":0}", admin),
                new Operation("PUT", t + "/plan", "{\"plan\":\"LITE\",\"reason\":\"r\"}", null),
                new Operation("GET", c + "/members?all=true", null, admin),
                new Operation("POST", c + "/members", "{\"add\":[\"m1\"],\"reason\":\"r\"}", admin),
                new Operation("POST", c + "/members:reset-urls", "{\"all\":true,\"reason\":\"r\"}", admin),
                new Operation("POST", c + "/impact", "{\"enabled\":false}", admin),
                new Operation("GET", t + "/audit", null, auditor),
                new Operation("GET", t + "/audit:tail?waitSeconds=0", null, auditor));
    }

    /**
     * Every operation x {no credential, malformed headers, wrong tokens, another tenant's token, the
     * tenant's own credential of a role the operation does not admit}: 401 or 403, the admin error shape, nothing written
     * (checked with the whole catalogue afterwards).
     */
    @Order(2)
    @TestFactory
    Stream<DynamicNode> authorisationMatrix() {
        String acme = gateway.acmeToken();
        Map<String, List<String>> credentials = new LinkedHashMap<>();
        credentials.put("no credential", List.of());
        credentials.put("scheme only", List.of("Bearer"));
        credentials.put("empty bearer", List.of("Bearer "));
        credentials.put("Basic scheme", List.of("Basic " + Base64.getEncoder().encodeToString(("alice:" + acme).getBytes(StandardCharsets.UTF_8))));
        credentials.put("Token scheme", List.of("Token " + acme));
        credentials.put("token without scheme", List.of(acme));
        credentials.put("scheme glued to token", List.of("Bearer" + acme));
        credentials.put("tab instead of space", List.of("Bearer\t" + acme));
        credentials.put("token with a suffix", List.of("Bearer " + acme + "x"));
        credentials.put("token missing a character", List.of("Bearer " + acme.substring(1)));
        credentials.put("token in upper case", List.of("Bearer " + acme.toUpperCase()));
        credentials.put("the configured hash as token", List.of("Bearer " + AdminCredentials.sha256Hex(acme)));
        credentials.put("two tokens in one header", List.of("Bearer " + acme + " " + acme));
        credentials.put("Authorization twice: valid, wrong", List.of("Bearer " + acme, "Bearer " + AdminCredentials.newToken()));
        credentials.put("Authorization twice: wrong, valid", List.of("Bearer " + AdminCredentials.newToken(), "Bearer " + acme));
        credentials.put("unknown token", List.of("Bearer " + AdminCredentials.newToken()));
        List<DynamicNode> nodes = new ArrayList<>();
        for (var cred : credentials.entrySet()) {
            List<DynamicTest> tests = new ArrayList<>();
            for (Operation op : everyOperation()) {
                Request r = request(op, op.path(), cred.getValue());
                tests.add(DynamicTest.dynamicTest(op.method() + " " + op.path(), () -> run(new HostileCase(
                        "admin: authorisation matrix", cred.getKey() + " " + op.method() + " " + op.path(), r,
                        HostileCase.admin(401, "unauthorized")))));
            }
            nodes.add(DynamicContainer.dynamicContainer("401 " + cred.getKey(), tests.stream()));
        }
        List<DynamicTest> otherTenant = new ArrayList<>();
        for (Operation op : everyOperation()) {
            for (String[] who : new String[][] {{"globex's token on acme", gateway.globexToken(), op.path()},
                    {"acme's token on globex", acme, op.path().replace("/tenants/" + HostileGateway.ACME, "/tenants/" + HostileGateway.GLOBEX)},
                    {"acme's token on ACME (another tenant id)", acme, op.path().replace("/tenants/" + HostileGateway.ACME, "/tenants/ACME")}}) {
                Request r = request(op, who[2], List.of("Bearer " + who[1]));
                otherTenant.add(DynamicTest.dynamicTest(who[0] + ": " + op.method() + " " + op.path(), () -> run(new HostileCase(
                        "admin: authorisation matrix", who[0] + " " + op.method() + " " + who[2], r,
                        HostileCase.admin(403, "forbidden", "tenant")))));
            }
        }
        nodes.add(DynamicContainer.dynamicContainer("403 another tenant's credential", otherTenant.stream()));
        List<DynamicTest> wrongRole = new ArrayList<>();
        for (Operation op : everyOperation()) {
            for (String[] who : new String[][] {{"TENANT_ADMIN", acme}, {"AUDITOR", gateway.acmeAuditorToken()}}) {
                if (who[0].equals(String.valueOf(op.role()))) {
                    continue;
                }
                Request r = request(op, op.path(), List.of("Bearer " + who[1]));
                wrongRole.add(DynamicTest.dynamicTest("acme's " + who[0] + ": " + op.method() + " " + op.path(), () -> run(new HostileCase(
                        "admin: authorisation matrix", "acme's " + who[0] + " (wrong role) " + op.method() + " " + op.path(), r,
                        HostileCase.admin(403, "forbidden", op.role() == null ? "operator" : op.role().name())))));
            }
        }
        nodes.add(DynamicContainer.dynamicContainer("403 the tenant's own credential of the wrong role", wrongRole.stream()));
        return nodes.stream();
    }

    private static Request request(Operation op, String path, List<String> authorization) {
        Request r = Request.of(op.method(), path, op.body() == null ? null : op.body().getBytes(StandardCharsets.UTF_8));
        if (op.body() != null) {
            r = r.withHeader("Content-Type", "application/json");
        }
        for (String a : authorization) {
            r = r.withHeader("Authorization", a);
        }
        return r;
    }

    // ---------------------------------------------------------------- afterwards

    /**
     * Nothing reached any topic: every topic of the catalogue is empty read_committed, except
     * {@code connector.dlq}, which holds exactly the intended dead letters, per origin in the
     * order they were caused, each with its reason. The admin topics did not even see an aborted
     * transaction (end offsets 0): refused calls never start one.
     */
    @Order(3)
    @Test
    void nothingReachedAnyTopic() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Topic<?, ?> topic : gateway.server.topics.all()) {
            if (topic == gateway.server.topics.dlq) {
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> records = gateway.readAll(topic);
            counts.put(topic.name(), records.size());
            assertTrue(records.isEmpty(), topic.name() + " holds " + records.size() + " record(s) after the hostile corpus, first: "
                    + (records.isEmpty() ? "" : new String(records.get(0).value(), StandardCharsets.UTF_8)));
        }
        for (Topic<?, ?> topic : List.of(gateway.server.topics.settings, gateway.server.topics.members, gateway.server.topics.audit,
                gateway.server.topics.auditIntake)) {
            assertEquals(0, gateway.endOffsets(topic), topic.name() + ": a refused admin call started a transaction");
        }
        Map<String, List<ConsumerRecord<byte[], byte[]>>> dead = new TreeMap<>();
        for (var r : gateway.readAll(gateway.server.topics.dlq)) {
            dead.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(r);
        }
        assertEquals(EXPECTED_DEAD_LETTERS.keySet(), dead.keySet(), "dead-letter origins");
        int total = 0;
        for (var e : EXPECTED_DEAD_LETTERS.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> records = dead.get(e.getKey());
            assertEquals(e.getValue().size(), records.size(), "dead letters from " + e.getKey());
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                String reason = header(r, DeadLetter.HEADER_MESSAGE);
                assertNotNull(reason, "dead letter without reason: " + new String(r.value(), StandardCharsets.UTF_8));
                assertFalse(reason.isBlank());
                assertTrue(reason.toLowerCase().contains(e.getValue().get(i).toLowerCase()),
                        "dead letter #" + i + " of " + e.getKey() + " should say '" + e.getValue().get(i) + "', says: " + reason);
                assertEquals("gateway", header(r, DeadLetter.HEADER_SERVICE));
                assertNotNull(r.value());
                total++;
            }
        }
        TALLY.deadLetters = total;
        counts.put(gateway.server.topics.dlq.name(), total);
        System.out.println("topics after the hostile corpus (read_committed): " + counts);
    }

    /** The rejection and event metrics counted every refused request and every ignored event of the corpus. */
    @Order(4)
    @Test
    void metricsCountedEverything() {
        String metrics = gateway.metrics();
        assertEquals(EXPECTED_WEBHOOK_REFUSALS.get(), sum(metrics, "gateway_webhook_rejections_total", ""), "webhook rejections counted");
        assertEquals(EXPECTED_IGNORED.get(), sum(metrics, "gateway_webhook_events_total", "outcome=\"ignored\""), "ignored events counted");
        assertEquals(EXPECTED_DEAD_LETTERS.values().stream().mapToInt(List::size).sum(),
                sum(metrics, "gateway_webhook_events_total", "outcome=\"dead-lettered\""), "dead-lettered events counted");
        assertEquals(0, sum(metrics, "gateway_webhook_events_total", "outcome=\"produced\""), "produced events");
    }

    private static long sum(String prometheus, String metric, String mustContain) {
        double total = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(mustContain)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(total);
    }

    /** After the corpus the gateway still serves: health, a valid webhook of each platform, an admin write. */
    /**
     * Over-limit bursts, from 16 senders at once: on the admin API of tenant globex (a valid
     * credential) and on a LINE channel of its own (validly signed connectivity checks). Every answer
     * is 200 or 429; every 429 has {@code Retry-After} and the error shape; no more went through than
     * the bucket holds plus its refill; forged requests in the same burst stay 401 and use up nothing.
     * Runs after the metric check (its 429s are webhook rejections too) and on keys the corpus and
     * {@link #stillServing} do not use.
     */
    @Order(5)
    @Test
    void overLimitBurstsAreRefused429WithRetryAfter() throws Exception {
        byte[] check = ("{\"destination\":\"" + HostileGateway.BURST_DESTINATION + "\",\"events\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        Request webhook = Request.post("/webhooks/line/" + HostileGateway.BURST_CHANNEL, check, "Content-Type",
                "application/json", "x-line-signature", io.connectorgateway.gateway.webhook.Secrets.signature(
                        HostileGateway.LINE_SECRET, check));
        Request forged = Request.of("POST", "/webhooks/line/" + HostileGateway.BURST_CHANNEL, check,
                "Content-Type", "application/json", "x-line-signature", Base64.getEncoder().encodeToString(new byte[32]));
        Request admin = AdminCorpus.call("GET", "/admin/v1/tenants/" + HostileGateway.GLOBEX + "/connectors/LINE/settings",
                gateway.globexToken(), null);
        Request garbled = AdminCorpus.call("GET", "/admin/v1/tenants/" + HostileGateway.GLOBEX + "/connectors/LINE/settings",
                gateway.globexToken().substring(1), null);
        for (Request[] pair : new Request[][] {{admin, garbled}, {webhook, forged}}) {
            int n = HostileGateway.LIMIT_CAPACITY + 1000;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger limited = new AtomicInteger();
            List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean bad = i % 10 == 9;
                sent.add(pool.submit(() -> {
                    var a = gateway.send(bad ? pair[1] : pair[0]);
                    if (bad) {
                        if (a.status() != 401) {
                            wrong.add("forged/garbled answered " + a.status());
                        }
                    } else if (a.status() == 200) {
                        ok.incrementAndGet();
                    } else if (a.status() == 429) {
                        limited.incrementAndGet();
                        String retry = a.header("Retry-After");
                        if (retry == null || Long.parseLong(retry) < 1 || !a.body().contains("rate-limited")) {
                            wrong.add("429 without Retry-After or reason: " + retry + " " + a.body());
                        }
                    } else {
                        wrong.add(a.status() + " " + a.body());
                    }
                }));
            }
            for (var f : sent) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("burst %s: %d requests in %.1f s, %d through, %d refused 429%n", pair[0].path(), n, seconds,
                    ok.get(), limited.get());
            assertEquals(List.of(), wrong);
            assertTrue(limited.get() > 0, "nothing was limited");
            assertTrue(ok.get() <= HostileGateway.LIMIT_CAPACITY + HostileGateway.LIMIT_PER_SECOND * (seconds + 1),
                    ok.get() + " went through in " + seconds + " s");
        }
        String metrics = gateway.metrics();
        assertTrue(sum(metrics, "gateway_rate_limited_total", "surface=\"admin\"") > 0, "admin 429s counted");
        assertTrue(sum(metrics, "gateway_rate_limited_total", "surface=\"webhook\"") > 0, "webhook 429s counted");
    }

    @Order(6)
    @Test
    void stillServing() {
        assertEquals(200, gateway.send(Request.of("GET", "/health", null)).status());
        String line = "{\"destination\":\"" + HostileGateway.LINE_DESTINATION + "\",\"events\":[{\"type\":\"message\",\"message\":"
                + "{\"type\":\"text\",\"id\":\"777\",\"text\":\"still here\"},\"webhookEventId\":\"01STILL\",\"timestamp\":" + System.currentTimeMillis() + ","
                + "\"source\":{\"type\":\"user\",\"userId\":\"U0000000000000000000000000000still\"}}]}";
        var a = gateway.send(WebhookCorpus.signed(Platform.LINE, line.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, a.status(), a.body());
        assertEquals(1, json(a.body(), "").path("produced").asInt());
        String works = "{\"type\":\"message\",\"source\":{\"userId\":\"still-user\",\"domainId\":1},\"issuedTime\":\"" + java.time.Instant.now() + "\","
                + "\"content\":{\"type\":\"text\",\"text\":\"still here\"}}";
        var w = gateway.send(WebhookCorpus.signed(Platform.WORKS, works.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, w.status(), w.body());
        assertEquals(1, gateway.readAll(gateway.server.topics.lineEvents).size());
        assertEquals(1, gateway.readAll(gateway.server.topics.worksEvents).size());
        var plan = gateway.send(AdminCorpus.call("PUT", "/admin/v1/tenants/acme/plan", gateway.operatorToken(),
                "{\"plan\":\"LITE\",\"reason\":\"after the storm\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, plan.status(), plan.body());
        var enable = gateway.send(AdminCorpus.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", gateway.acmeToken(),
                "{\"enabled\":true,\"reason\":\"launch\"}".getBytes(StandardCharsets.UTF_8), "If-Match", "\"1\""));
        assertEquals(200, enable.status(), enable.body());
        assertEquals(3, gateway.readAll(gateway.server.topics.settings).size());
    }

    // ---------------------------------------------------------------- helpers

    private static void assertNoLeak(String body, String context) {
        if (body == null || body.isBlank()) {
            fail("empty answer: " + context);
        }
        var m = LEAK.matcher(body);
        if (m.find()) {
            fail("the answer leaks internals ('" + m.group() + "'): " + context);
        }
    }

    private static JsonNode json(String body, String context) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                fail("the answer is not a JSON object: " + context);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError("the answer is not JSON: " + context, e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }

    /** Counts for the summary line: cases tried, by category and by status. */
    static final class Tally {
        private final Map<String, Map<Integer, Integer>> byCategory = new LinkedHashMap<>();
        private final Map<Integer, Integer> byStatus = new TreeMap<>();
        private int tried;
        private int ignoredCases;
        private int deadLetterCases;
        int deadLetters;

        synchronized void add(HostileCase c, int status) {
            tried++;
            byStatus.merge(status, 1, Integer::sum);
            byCategory.computeIfAbsent(c.category(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
            if (status == 200 && c.expect() instanceof Ignored) {
                ignoredCases++;
            } else if (status == 200 && c.expect() instanceof DeadLettered) {
                deadLetterCases++;
            }
        }

        synchronized String summary() {
            int refused = byStatus.entrySet().stream().filter(e -> e.getKey() >= 400).mapToInt(Map.Entry::getValue).sum();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("HOSTILE INPUT SUMMARY (seed %d): %d hostile inputs tried, %d refused (4xx/5xx), %d acknowledged-ignored (200),"
                    + " %d dead-lettered with reason (200, %d dead letters); by status %s%n", SEED, tried, refused, ignoredCases,
                    deadLetterCases, deadLetters, byStatus));
            byCategory.forEach((cat, statuses) -> sb.append(String.format("  %-52s %5d  %s%n", cat,
                    statuses.values().stream().mapToInt(Integer::intValue).sum(), statuses)));
            return sb.toString();
        }
    }
}
