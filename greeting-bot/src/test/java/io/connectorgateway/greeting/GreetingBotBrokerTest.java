package io.connectorgateway.greeting;

import static io.connectorgateway.greeting.GreetingHarness.TENANT;
import static io.connectorgateway.greeting.GreetingHarness.TOKEN;
import static io.connectorgateway.greeting.GreetingHarness.about;
import static io.connectorgateway.greeting.GreetingHarness.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.greeting.line.RetryKey;
import io.connectorgateway.greeting.send.RetryPolicy;
import io.connectorgateway.linestandin.LinePushStandIn.PushCall;
import io.connectorgateway.linestandin.LinePushStandIn.Step;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bot against a real broker and the LINE stand-in as a real local HTTP server. */
@ExtendWith(KafkaBrokerExtension.class)
class GreetingBotBrokerTest {

    @Test
    void sendsTheGreetingAsLineExpectsItAndAuditsItOnce(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.profile("U-taro", "Taro");
            GreetingBot bot = h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-taro", "Hello {userName}, I am {memberName}.",
                    "Spring sale: 20% off for {userName}");
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));

            List<PushCall> calls = h.line.calls();
            assertEquals(1, calls.size(), "one push request");
            PushCall call = calls.get(0);
            assertEquals(200, call.status());
            assertEquals("Bearer " + TOKEN, call.headers().get("authorization"));
            assertTrue(call.headers().get("content-type").startsWith("application/json"), call.headers().toString());
            assertEquals(RetryKey.forCommand(cmd.commandId()), call.retryKey());
            assertEquals("U-taro", call.to());
            assertEquals(List.of("Hello Taro, I am Aiko.", "Spring sale: 20% off for Taro"), call.texts());
            assertEquals(1, h.line.acceptedFor("U-taro").size());

            List<AuditRecord> mine = about(audit, cmd.commandId());
            assertEquals(1, mine.size());
            AuditRecord sent = mine.get(0);
            assertEquals("GREETING_SENT:" + cmd.commandId(), sent.auditId());
            assertEquals("R7", sent.rule());
            assertEquals(7L, sent.settingsVersion());
            assertEquals(cmd.friendAddEventId(), sent.eventId());
            assertEquals("U-taro", sent.externalUserId());
            assertEquals("1", sent.detail().get("attempts"));
            assertNotNull(sent.detail().get("latencyMs"));
            assertEquals(64, sent.contentDigest().length(), "SHA-256 hex of what was sent");

            // Content never goes into the audit stream, only its digest.
            String rawAudit = h.rawAuditUntil(has(AuditKind.GREETING_SENT, cmd.commandId())).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).reduce("", String::concat);
            assertFalse(rawAudit.contains("Spring sale"), rawAudit);

            // Health and metrics like the gateway's.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bot.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"RUNNING\""), health.body());
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bot.httpPort() + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("greeting_outcomes_total{outcome=\"sent\"} 1.0"), metrics.body());
        }
    }

    @Test
    void retriesA500WithTheSameRetryKeyAndDeliversOnce(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.script(Step.fail(500));
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-1", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));

            List<PushCall> calls = h.line.callsWithKey(RetryKey.forCommand(cmd.commandId()));
            assertEquals(List.of(500, 200), calls.stream().map(PushCall::status).toList());
            assertEquals(2, h.line.calls().size(), "both attempts carried the same retry key");
            assertEquals(1, h.line.acceptedFor("U-1").size());
            assertEquals("2", about(audit, cmd.commandId()).get(0).detail().get("attempts"));
        }
    }

    @Test
    void aTimeoutIsRetriedWithTheSameKeyAndTheGreetingStillGoesOutOnce(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            // The first push outlasts the bot's 5 s read timeout; LINE then handles it anyway.
            h.line.script(Step.delay(Duration.ofSeconds(6)));
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-T", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));
            // The stand-in records a call when it answers: the slow first one answers last.
            h.line.awaitCalls(2, KafkaBroker.patience());

            List<PushCall> calls = h.line.callsWithKey(RetryKey.forCommand(cmd.commandId()));
            assertTrue(calls.size() >= 2, "the timed-out push was retried: " + calls.size() + " calls");
            assertEquals(calls.size(), h.line.calls().size(), "every attempt carried the command's retry key");
            assertEquals(1, h.line.acceptedFor("U-T").size(), "one greeting reached the user");
            assertEquals(1, about(audit, cmd.commandId()).size(), "one outcome audited");
            assertTrue(Integer.parseInt(about(audit, cmd.commandId()).get(0).detail().get("attempts")) >= 2);
        }
    }

    @Test
    void waitsForRetryAfterOnA429(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.script(Step.rateLimited(Duration.ofSeconds(2)));
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-2", "Welcome!", null);
            h.send(cmd);

            h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));

            List<PushCall> calls = h.line.calls();
            assertEquals(List.of(429, 200), calls.stream().map(PushCall::status).toList());
            long gapMs = (calls.get(1).receivedNanos() - calls.get(0).receivedNanos()) / 1_000_000;
            // The configured backoff is 100 ms; only Retry-After explains a gap of 2 s.
            assertTrue(gapMs >= 2_000, "second attempt came " + gapMs + " ms after the 429");
        }
    }

    @Test
    void a409MeansAlreadySentAndIsNotRetried(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-3", "Welcome!", null);
            h.line.markAccepted(RetryKey.forCommand(cmd.commandId()));
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));

            assertEquals(List.of(409), h.line.calls().stream().map(PushCall::status).toList());
            assertTrue(h.line.accepted().isEmpty(), "nothing delivered a second time");
            AuditRecord sent = about(audit, cmd.commandId()).get(0);
            assertEquals("1", sent.detail().get("attempts"));
            assertEquals("409", sent.detail().get("httpStatus"));
        }
    }

    @Test
    void a400IsNotRetriedAndIsDeadLetteredWithItsReason(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.script(Step.fail(400));
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-4", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_FAILED, cmd.commandId()));
            List<DeadLetter> dead = h.deadLettersUntil(ds -> !ds.isEmpty());

            assertEquals(List.of(400), h.line.calls().stream().map(PushCall::status).toList());
            AuditRecord failed = about(audit, cmd.commandId()).get(0);
            assertEquals("R7", failed.rule());
            assertEquals("1", failed.detail().get("attempts"));
            assertTrue(failed.detail().get("reason").contains("HTTP 400"), failed.detail().toString());
            assertEquals(1, dead.size());
            DeadLetter letter = dead.get(0);
            assertTrue(letter.reason().contains("HTTP 400"), letter.reason());
            assertEquals(h.topics.greetings.name(), letter.sourceTopic());
            String topic = h.topics.greetings.name();
            assertArrayEquals(h.topics.greetings.valueSerde().serializer().serialize(topic, cmd), letter.value());
            assertEquals("greeting-bot", letter.service());
        }
    }

    @Test
    void spendsTheRetryBudgetThenFailsAndDeadLetters(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.script(Step.fail(503), Step.fail(503), Step.fail(503), Step.fail(503));
            h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-5", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_FAILED, cmd.commandId()));
            List<DeadLetter> dead = h.deadLettersUntil(ds -> !ds.isEmpty());

            assertEquals(4, h.line.calls().size(), "the configured budget of 4 attempts");
            assertEquals("4", about(audit, cmd.commandId()).get(0).detail().get("attempts"));
            assertTrue(dead.get(0).reason().contains("retry budget spent"), dead.get(0).reason());
        }
    }

    @Test
    void anUnreadableCommandIsDeadLetteredAndTheNextOneStillGoesOut(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns, 1, Map.of(TENANT, TOKEN))) {
            h.startBot(h.config());
            byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
            h.sendRaw("rm-x".getBytes(StandardCharsets.UTF_8), garbage);
            GreetingCommand cmd = h.command(TENANT, "U-6", "Welcome!", null);
            h.send(cmd);

            h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));
            List<DeadLetter> dead = h.deadLettersUntil(ds -> !ds.isEmpty());
            assertArrayEquals(garbage, dead.get(0).value());
            assertEquals(1, h.line.calls().size());
        }
    }

    @Test
    void aBotKilledMidRetryAndRestartedStillGreetsOnce(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            // LINE accepts the first push but the answer is lost (500); the bot then waits a long
            // backoff, and is killed during it.
            h.line.script(Step.acceptThenFail(500));
            GreetingBotConfig slowRetry = h.config()
                    .withRetry(new RetryPolicy(4, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(30)));
            GreetingBot first = h.startBot(slowRetry);
            GreetingCommand cmd = h.command(TENANT, "U-7", "Welcome!", null);
            h.send(cmd);
            h.line.awaitCalls(1, KafkaBroker.patience());
            first.kill();

            h.startBot(h.config());
            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));

            String key = RetryKey.forCommand(cmd.commandId());
            assertEquals(List.of(500, 409), h.line.callsWithKey(key).stream().map(PushCall::status).toList(),
                    "the restarted bot retried with the same key and LINE refused a second delivery");
            assertEquals(1, h.line.acceptedFor("U-7").size(), "exactly one greeting reached the user");

            // One SENT record: a later command's record proves everything before it was read.
            GreetingCommand marker = h.command(TENANT, "U-8", "Welcome!", null);
            h.send(marker);
            audit = h.auditUntil(has(AuditKind.GREETING_SENT, marker.commandId()));
            assertEquals(1, about(audit, cmd.commandId()).size(), audit.toString());
            assertEquals(AuditKind.GREETING_SENT, about(audit, cmd.commandId()).get(0).kind());
        }
    }

    @Test
    void aSlowTenantDoesNotHoldBackAnother(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Map<String, String> tokens = Map.of("slow", "token-slow", "fast", "token-fast");
        // One partition: slow and fast commands interleave on it, the hard case.
        try (GreetingHarness h = new GreetingHarness(broker, ns, 1, tokens)) {
            h.line.delayFor("token-slow", Duration.ofSeconds(2));
            h.startBot(h.config().withConcurrency(8, 1));
            List<GreetingCommand> slow = List.of(h.command("slow", "U-s1", "Hi", null),
                    h.command("slow", "U-s2", "Hi", null), h.command("slow", "U-s3", "Hi", null));
            List<GreetingCommand> fast = List.of(h.command("fast", "U-f1", "Hi", null),
                    h.command("fast", "U-f2", "Hi", null), h.command("fast", "U-f3", "Hi", null));
            for (GreetingCommand c : slow) {
                h.send(c);
            }
            for (GreetingCommand c : fast) {
                h.send(c);
            }

            List<AuditRecord> audit = h.auditUntil(rs -> slow.stream().allMatch(
                    c -> has(AuditKind.GREETING_SENT, c.commandId()).test(rs)));

            // Audit topic has one partition: its order is the order outcomes were recorded.
            List<String> order = audit.stream().map(r -> r.detail().get("commandId")).toList();
            int lastFast = fast.stream().mapToInt(c -> order.indexOf(c.commandId())).max().orElseThrow();
            int lastSlow = order.indexOf(slow.get(2).commandId());
            assertTrue(fast.stream().allMatch(c -> order.contains(c.commandId())), order.toString());
            assertTrue(lastFast < lastSlow, "fast tenant's greetings were recorded before the slow tenant finished: " + order);
            assertEquals(6, h.line.accepted().size());
            assertEquals(6, audit.size(), "one record per command");
        }
    }

    @Test
    void outcomesRecordedAheadOfASlowCommandAreNotRepeatedAfterARestart(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Map<String, String> tokens = Map.of("slow", "token-slow", "fast", "token-fast");
        try (GreetingHarness h = new GreetingHarness(broker, ns, 1, tokens)) {
            h.line.delayFor("token-slow", Duration.ofSeconds(4));
            GreetingBot first = h.startBot(h.config());
            GreetingCommand slow = h.command("slow", "U-slow", "Hi", null);
            List<GreetingCommand> fast = List.of(h.command("fast", "U-f1", "Hi", null), h.command("fast", "U-f2", "Hi", null));
            h.send(slow);
            for (GreetingCommand c : fast) {
                h.send(c);
            }
            // The fast ones are recorded while the slow one (the lowest offset) is still in flight.
            h.auditUntil(rs -> fast.stream().allMatch(c -> has(AuditKind.GREETING_SENT, c.commandId()).test(rs)));
            first.kill();

            h.line.delayFor("token-slow", Duration.ZERO);
            h.startBot(h.config());
            h.auditUntil(has(AuditKind.GREETING_SENT, slow.commandId()));
            GreetingCommand marker = h.command("fast", "U-marker", "Hi", null);
            h.send(marker);
            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, marker.commandId()));

            for (GreetingCommand c : fast) {
                assertEquals(1, about(audit, c.commandId()).size(), "one record for " + c.commandId());
                assertEquals(1, h.line.callsWithKey(RetryKey.forCommand(c.commandId())).size(),
                        "not sent again after the restart");
            }
            assertEquals(1, about(audit, slow.commandId()).size());
            assertEquals(1, h.line.acceptedFor("U-slow").size(), "the slow greeting reached its user once");
        }
    }

    @Test
    void aTenantWithoutARegisteredChannelFailsWithoutCallingLine(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.startBot(h.config());
            GreetingCommand cmd = h.command("initech", "U-9", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_FAILED, cmd.commandId()));
            String reason = about(audit, cmd.commandId()).get(0).detail().get("reason");
            assertTrue(reason.contains("member m-1 has no LINE channel registered"), reason);
            assertTrue(h.line.calls().isEmpty());
            assertEquals(1, h.deadLettersUntil(ds -> !ds.isEmpty()).size());
        }
    }

    @Test
    void aCleanStopLetsARunningSendFinishAndRecordsIt(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            h.line.delayFor(TOKEN, Duration.ofMillis(1_500));
            GreetingBot bot = h.startBot(h.config());
            GreetingCommand cmd = h.command(TENANT, "U-10", "Welcome!", null);
            h.send(cmd);
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
            while (bot.inFlight() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, bot.inFlight(), "the send is under way");

            bot.close(); // what SIGTERM does

            assertEquals(io.connectorgateway.greeting.consume.GreetingConsumer.State.STOPPED, bot.state());
            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));
            assertEquals(1, about(audit, cmd.commandId()).size());
            assertEquals(1, h.line.acceptedFor("U-10").size());
        }
    }

    @Test
    void aGreetingOlderThanLinesRetryKeyWindowIsNotSent(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            // The harness's commands are from 2023; with the production window of 23 h they are stale.
            h.startBot(h.config().withMaxAge(GreetingBotConfig.DEFAULT_MAX_AGE));
            GreetingCommand cmd = h.command(TENANT, "U-11", "Welcome!", null);
            h.send(cmd);

            List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_FAILED, cmd.commandId()));
            String reason = about(audit, cmd.commandId()).get(0).detail().get("reason");
            assertTrue(reason.contains("retry key"), reason);
            assertTrue(h.line.calls().isEmpty(), "LINE was not called");
        }
    }

    static String body(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
