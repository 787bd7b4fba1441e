package io.connectorgateway.gateway.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.gateway.hostile.HostileCase.DeadLettered;
import io.connectorgateway.gateway.hostile.HostileCase.Expect;
import io.connectorgateway.gateway.hostile.HostileCase.FriendRefused;
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
 * The bad-input suite (issue 9; extended to the channel registry, issue 14 item 9): a corpus of
 * thousands of hostile requests, generated from a seed ({@code -Dhostile.seed=...}), against one
 * running gateway (LINE and WORKS webhooks of the configured channels and of channels registered as
 * data, the channel admin calls, the friend-add URLs, the rest of the admin API), then the admin
 * authorisation matrix. Every case must get its specific status and a clear message that leaks no
 * class name, stack frame or secret. Afterwards: nothing reached any topic of the catalogue
 * (read_committed) beyond what the setup registered, except the dead letters the product intends,
 * each with its reason, in order, and the audit records of refused friend-URL visits; no secret is in
 * clear on any topic or in any log line; the metrics counted every refusal and every ignored event;
 * and the gateway still serves (health, a valid webhook of each platform at both kinds of URL, a
 * current friend-add URL, an admin write).
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
    /** The refused friend-URL visits, as {@code tenant/member} (member null for a token the tenant never issued). */
    private static final List<String> EXPECTED_FRIEND_AUDITS = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Every secret and access token the setup registered or a case sent: never in an answer, a log line or a topic. */
    private static final java.util.Set<String> SECRETS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** After the setup: each catalogue topic's committed records and partition end offsets. */
    private static final Map<String, Integer> BASELINE_RECORDS = new TreeMap<>();
    private static final Map<String, Map<org.apache.kafka.common.TopicPartition, Long>> BASELINE_ENDS = new TreeMap<>();

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        gateway = new HostileGateway(broker, ns);
        SECRETS.addAll(gateway.registered.secrets());
        for (Topic<?, ?> topic : gateway.server.topics.all()) {
            BASELINE_RECORDS.put(topic.name(), gateway.readAll(topic).size());
            BASELINE_ENDS.put(topic.name(), gateway.partitionEnds(topic));
        }
        System.out.println("topics after the setup (read_committed): " + BASELINE_RECORDS);
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
        all.addAll(WebhookCorpus.generate(SEED, gateway.registered.aLine(), gateway.registered.aWorks()));
        all.addAll(ChannelCorpus.generate(gateway, SEED, SECRETS));
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
        for (String secret : SECRETS) {
            assertFalse(a.body().contains(secret), "the answer shows a secret: " + context);
        }
        Expect expect = c.expect();
        if (expect instanceof FriendRefused f) {
            // a page for the visitor, never a redirect
            assertEquals(null, a.header("Location"), context);
            assertTrue(String.valueOf(a.header("Content-Type")).startsWith("text/html"), context);
            assertTrue(a.body().contains("no longer valid"), context);
            assertEquals("no-store", a.header("Cache-Control"), context);
            // audited when the token was a member's, or the tenant has LINE settings: a made-up tenant id opens no trail
            if (f.member() != null || gateway.server.context.getBean(io.connectorgateway.gateway.admin.ControlView.class)
                    .settings(f.tenant(), io.connectorgateway.contracts.Connector.LINE).version() > 0) {
                EXPECTED_FRIEND_AUDITS.add(f.tenant() + "/" + f.member());
            }
            return;
        }
        JsonNode body = json(a.body(), context);
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
            String origin = origin(c.request());
            for (int i = 0; i < d.events(); i++) {
                EXPECTED_DEAD_LETTERS.computeIfAbsent(origin, k -> new ArrayList<>()).add(d.reasonHint() == null ? "" : d.reasonHint());
            }
        }
    }

    /**
     * Where the gateway says a webhook request came in (the dead letters' key): {@code webhook:line/<channel>},
     * {@code webhook:line/<tenant>/<channelId>}, {@code webhook:works/<bot>}, {@code webhook:works/<tenant>/<bot>}.
     */
    private static String origin(Request r) {
        String origin = "webhook:" + r.path().substring("/webhooks/".length());
        if (origin.startsWith("webhook:works")) {
            origin += "/" + r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("X-WORKS-BotId")).findFirst()
                    .orElseThrow().getValue();
        }
        return origin;
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
        String secret = Registered.secret();
        SECRETS.add(secret);
        return List.of(
                new Operation("GET", c + "/channels", null, admin),
                new Operation("GET", c + "/members/m1/channel", null, admin),
                new Operation("PUT", c + "/members/m1/channel", "{\"channelId\":\"1650000077\",\"destination\":\"U1\","
                        + "\"secrets\":[\"" + secret + "\"],\"reason\":\"r\"}", admin),
                new Operation("POST", c + "/members/m1/channel:rotate", "{\"addSecret\":\"" + secret + "\",\"reason\":\"r\"}", admin),
                new Operation("POST", c + "/members/m1/channel:retire", "{\"reason\":\"r\"}", admin),
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
     * Nothing reached any topic: every topic of the catalogue holds, read_committed, exactly what it
     * held after the setup (the registered channels and their audit trail), except
     * {@code connector.dlq}, which holds exactly the intended dead letters, per origin in the order
     * they were caused, each with its reason, and the audit topics, which hold besides exactly one
     * {@code REFUSED} (R5) record per refused friend-URL visit (on the intake, then linked into the
     * chain; checkpoints only of chains with records). The admin topics did not even see an aborted
     * transaction (end offsets as after the setup): refused calls never start one.
     */
    @Order(3)
    @Test
    void nothingReachedAnyTopic() {
        var topics = gateway.server.topics;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Topic<?, ?> topic : topics.all()) {
            if (topic == topics.dlq || topic == topics.audit || topic == topics.auditIntake || topic == topics.auditCheckpoints
                    || topic == topics.contentKeys) {
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> records = gateway.readAll(topic);
            int before = BASELINE_RECORDS.get(topic.name());
            counts.put(topic.name(), records.size() - before);
            assertEquals(before, records.size(), topic.name() + " holds " + (records.size() - before) + " record(s) more than after "
                    + "the setup, last: " + (records.isEmpty() ? "" : new String(records.get(records.size() - 1).value(), StandardCharsets.UTF_8)));
        }
        for (Topic<?, ?> topic : List.of(topics.settings, topics.members, topics.channels, topics.directoryEvents)) {
            assertEquals(BASELINE_ENDS.get(topic.name()), gateway.partitionEnds(topic), topic.name() + ": a refused call started a transaction");
        }
        // the intake: the setup's records, then one REFUSED record per refused friend-URL visit, nothing else
        Map<org.apache.kafka.common.TopicPartition, Long> intakeBefore = BASELINE_ENDS.get(topics.auditIntake.name());
        List<AuditRecord> visits = new ArrayList<>();
        java.util.Set<String> intakeIds = new java.util.HashSet<>();
        for (var r : gateway.readAll(topics.auditIntake)) {
            AuditRecord a = topics.auditIntake.valueSerde().deserializer().deserialize(r.topic(), r.value());
            intakeIds.add(a.auditId());
            if (r.offset() >= intakeBefore.get(new org.apache.kafka.common.TopicPartition(r.topic(), r.partition()))) {
                visits.add(a);
            }
        }
        for (AuditRecord a : visits) {
            String what = "audit record on the intake after the setup: " + a;
            assertEquals(AuditKind.REFUSED, a.kind(), what);
            assertEquals("R5", a.rule(), what);
            assertEquals("friend-url-visitor", a.actor().id(), what);
            assertEquals("friend-url-visit", a.detail().get("action"), what);
        }
        List<String> expected = new ArrayList<>(EXPECTED_FRIEND_AUDITS);
        List<String> audited = new ArrayList<>(visits.stream().map(a -> a.tenant() + "/" + a.memberId()).toList());
        java.util.Collections.sort(expected);
        java.util.Collections.sort(audited);
        assertEquals(expected, audited, "audited friend-URL visits (tenant/member)");
        counts.put(topics.auditIntake.name(), visits.size());
        // the chain: exactly the intake's records, once linked (the policy stream links asynchronously)
        List<String>[] chained = new List[1];
        AdminServer.eventually("the chain to link the intake", () -> {
            chained[0] = gateway.readAll(topics.audit).stream()
                    .map(r -> topics.audit.valueSerde().deserializer().deserialize(r.topic(), r.value()).auditId()).toList();
            return chained[0].size() >= intakeIds.size();
        });
        assertEquals(intakeIds, new java.util.HashSet<>(chained[0]), "connector.audit holds what the intake holds");
        assertEquals(intakeIds.size(), chained[0].size(), "each intake record linked once");
        java.util.Set<String> chainTenants = new java.util.HashSet<>(List.of(Registered.A, Registered.B));
        visits.forEach(a -> chainTenants.add(a.tenant()));
        for (var r : gateway.readAll(topics.auditCheckpoints)) {
            AuditCheckpoint cp = topics.auditCheckpoints.valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertTrue(chainTenants.contains(cp.tenant()), "a checkpoint of a chain nothing was written to: " + cp);
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
        // content keys: exactly one per dead letter sealed under its message's key, nothing else
        List<String> sealedUnder = dead.values().stream().flatMap(List::stream)
                .map(r -> header(r, DeadLetter.HEADER_SEALED)).filter(java.util.Objects::nonNull).sorted().toList();
        List<String> keys = gateway.readAll(topics.contentKeys).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        int added = keys.size() - BASELINE_RECORDS.get(topics.contentKeys.name());
        assertEquals(sealedUnder.size(), added, "content keys added: only those of sealed dead letters " + sealedUnder);
        assertTrue(keys.containsAll(sealedUnder), "every sealed dead letter's key is on the key topic: " + sealedUnder);
        counts.put(topics.contentKeys.name(), added);
        System.out.println("records the hostile corpus added to each topic (read_committed): " + counts);
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
        // the registered channel and bot of tenant A, at their tenant-scoped URLs
        var rl = gateway.send(WebhookCorpus.signed(gateway.registered.aLine(), line.replace(HostileGateway.LINE_DESTINATION,
                Registered.A_DEST).replace("01STILL", "01STILLREG").getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, rl.status(), rl.body());
        assertEquals(1, json(rl.body(), "").path("produced").asInt());
        var rw = gateway.send(WebhookCorpus.signed(gateway.registered.aWorks(), works.getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, rw.status(), rw.body());
        assertEquals(1, json(rw.body(), "").path("produced").asInt());
        assertEquals(2, gateway.readAll(gateway.server.topics.lineEvents).size());
        assertEquals(2, gateway.readAll(gateway.server.topics.worksEvents).size());
        // the current friend-add URL still leads to the member's channel (the one redirect there is)
        var friend = gateway.send(Request.of("GET", "/friend/" + Registered.A + "/" + gateway.registered.annToken, null));
        assertEquals(302, friend.status(), friend.body());
        assertEquals(Registered.FRIEND_LINK, friend.header("Location"));
        var qr = gateway.send(Request.of("GET", "/friend/" + Registered.A + "/" + gateway.registered.annToken + "/qr.png", null));
        assertEquals(200, qr.status());
        assertEquals("image/png", qr.header("Content-Type"));
        var plan = gateway.send(AdminCorpus.call("PUT", "/admin/v1/tenants/acme/plan", gateway.operatorToken(),
                "{\"plan\":\"LITE\",\"reason\":\"after the storm\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, plan.status(), plan.body());
        var enable = gateway.send(AdminCorpus.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", gateway.acmeToken(),
                "{\"enabled\":true,\"reason\":\"launch\"}".getBytes(StandardCharsets.UTF_8), "If-Match", "\"1\""));
        assertEquals(200, enable.status(), enable.body());
        assertEquals(3, gateway.readAll(gateway.server.topics.settings).size());
    }

    /**
     * No secret in clear anywhere, after everything above: not on any topic of this gateway and its
     * policy stream (catalogue and internal topics, read_uncommitted, keys, values and headers), not
     * in any log line. The secrets: those the setup registered (sealed on {@code connector.channels})
     * and every one a case sent. The check can fail: the registered channels' fingerprints are there.
     */
    @Order(7)
    @Test
    void noSecretInClearOnAnyTopicOrInAnyLogLine() throws Exception {
        int scanned = 0;
        boolean sealedSeen = false;
        String fingerprint = io.connectorgateway.contracts.channel.ChannelSecrets.fingerprint(gateway.registered.aSecret);
        for (ConsumerRecord<byte[], byte[]> r : gateway.readEverything()) {
            scanned++;
            StringBuilder all = new StringBuilder();
            all.append(r.key() == null ? "" : new String(r.key(), StandardCharsets.ISO_8859_1)).append('\n');
            all.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1)).append('\n');
            r.headers().forEach(h -> all.append(h.value() == null ? "" : new String(h.value(), StandardCharsets.ISO_8859_1)).append('\n'));
            String text = all.toString();
            sealedSeen |= text.contains(fingerprint);
            for (String secret : SECRETS) {
                assertFalse(text.contains(secret), "a secret in clear on " + r.topic() + " at " + r.partition() + "@" + r.offset());
            }
        }
        assertTrue(sealedSeen, "the registered channel (its fingerprint) was not found on any topic: the scan read the wrong topics");
        List<String> lines = gateway.logLines();
        for (String line : lines) {
            for (String secret : SECRETS) {
                assertFalse(line.contains(secret), "a secret in a log line: " + line.replace(secret, "<the secret>"));
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("webhook refused")), "the log capture saw no webhook refusal");
        System.out.printf("secrets: %d checked on %d records of every topic and %d log lines%n", SECRETS.size(), scanned, lines.size());
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
