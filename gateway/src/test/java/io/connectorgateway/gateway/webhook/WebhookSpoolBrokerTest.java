package io.connectorgateway.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No WORKS callback lost to a Kafka outage (LINE WORKS never redelivers): while a proxy hides
 * Kafka, callbacks are spooled on disk and answered 200; once Kafka is back they land in order,
 * each once; past the size limit a callback gets 503; past the age limit a spooled callback is
 * dead-lettered with the reason, not produced; with the spool off, the old 503.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WebhookSpoolBrokerTest {
    @TempDir
    Path spoolDir;

    private static String callback(String user, int n) {
        return String.format("""
                {"type":"message","source":{"userId":"%s","domainId":40029600},"issuedTime":"%s",\
                "content":{"type":"text","text":"spooled %d"}}""", user, java.time.Instant.now().plusMillis(n), n);
    }

    private static List<String> texts(GatewayFixture gateway, String user) {
        return gateway.readAll(gateway.topics.worksEvents).stream().map(ConsumerRecord::value)
                .filter(e -> e.externalUserId().equals(user)).map(e -> gateway.opened(e).text()).toList();
    }

    @Test
    void callbacksDuringAnOutageAreSpooledAcknowledgedAndLandOnceInOrder(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (KafkaProxy proxy = KafkaProxy.start(broker.bootstrapServers());
             GatewayFixture gateway = GatewayFixture.start(broker, ns, proxy.bootstrapServers(), Map.of(
                     "gateway.kafka.ack-timeout", "1000ms", "gateway.spool.dir", spoolDir.toString(),
                     "gateway.spool.max-bytes", 4000, "gateway.spool.replay-interval", "200ms"))) {
            String user = GatewayFixture.newWorksUser();
            assertEquals(200, gateway.works(callback(user, 0)).statusCode());

            proxy.pause();
            List<String> expected = new ArrayList<>(List.of("spooled 0"));
            int n = 1;
            HttpResponse<String> r;
            // until the spool is full: every callback acknowledged 200 is on disk
            while ((r = gateway.works(callback(user, n))).statusCode() == 200) {
                assertTrue(r.body().contains("\"spooled\":true"), r.body());
                expected.add("spooled " + n);
                n++;
                assertTrue(n < 40, "the 4000-byte spool never filled up");
            }
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("kafka-unavailable") && r.body().contains("limit"), r.body());
            assertTrue(n >= 3, "several callbacks spooled before the limit: " + n);
            String health = gateway.management("/health").body();
            assertTrue(health.contains("webhookSpool") && health.contains("\"entries\":" + (n - 1)), health);
            String metrics = gateway.management("/prometheus").body();
            assertTrue(metrics.contains("gateway_webhook_spool_entries " + (n - 1) + ".0"), metrics);
            assertTrue(metrics.contains("gateway_webhook_spool_total{outcome=\"full\"} 1.0"), metrics);

            proxy.resume();
            await("the spool drained", () -> gateway.management("/prometheus").body().contains("gateway_webhook_spool_entries 0.0"));
            // a callback after the outage goes behind the spooled ones (or straight to Kafka once it is empty)
            assertEquals(200, gateway.works(callback(user, 50)).statusCode());
            expected.add("spooled 50");
            assertEquals(expected, texts(gateway, user), "every acknowledged callback on the topic once, in order");
            assertTrue(gateway.management("/prometheus").body().contains("gateway_webhook_spool_total{outcome=\"replayed\"} " + (n - 1) + ".0"));
        }
    }

    @Test
    void aSpooledCallbackPastTheAgeLimitIsDeadLetteredWithItsReason(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (KafkaProxy proxy = KafkaProxy.start(broker.bootstrapServers());
             GatewayFixture gateway = GatewayFixture.start(broker, ns, proxy.bootstrapServers(), Map.of(
                     "gateway.kafka.ack-timeout", "1000ms", "gateway.spool.dir", spoolDir.toString(),
                     "gateway.spool.max-age", "2s", "gateway.spool.replay-interval", "200ms"))) {
            String user = GatewayFixture.newWorksUser();
            assertEquals(200, gateway.works(callback(user, 0)).statusCode());
            proxy.pause();
            assertEquals(200, gateway.works(callback(user, 1)).statusCode());
            Thread.sleep(3000); // older than the 2 s limit before Kafka is back
            proxy.resume();
            await("the spool drained", () -> gateway.management("/prometheus").body().contains("gateway_webhook_spool_entries 0.0"));
            assertEquals(List.of("spooled 0"), texts(gateway, user), "the expired callback is not decided as if fresh");
            List<DeadLetter> dead = gateway.readAll(gateway.topics.dlq).stream().map(DeadLetter::fromRecord)
                    .filter(d -> d.value() != null && new String(d.value(), StandardCharsets.UTF_8).contains(user)).toList();
            assertEquals(1, dead.size(), "the expired callback is dead-lettered once");
            assertTrue(dead.get(0).reason().startsWith("spool-expired"), dead.get(0).reason());
            assertEquals(gateway.topics.worksEvents.name(), dead.get(0).sourceTopic());
            assertTrue(gateway.management("/prometheus").body().contains("gateway_webhook_spool_total{outcome=\"expired\"} 1.0"));
        }
    }

    @Test
    void withTheSpoolOffACallbackDuringAnOutageIs503AndLost(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (KafkaProxy proxy = KafkaProxy.start(broker.bootstrapServers());
             GatewayFixture gateway = GatewayFixture.start(broker, ns, proxy.bootstrapServers(), Map.of(
                     "gateway.kafka.ack-timeout", "1000ms", "gateway.spool.enabled", false))) {
            String user = GatewayFixture.newWorksUser();
            proxy.pause();
            HttpResponse<String> r = gateway.works(callback(user, 1));
            assertEquals(503, r.statusCode(), r.body());
            proxy.resume();
            assertEquals(200, gateway.works(callback(user, 2)).statusCode());
            assertEquals(List.of("spooled 2"), texts(gateway, user), "without the spool the 503'd callback is gone (WORKS never retries)");
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + KafkaBroker.patience());
            }
            Thread.sleep(200);
        }
    }
}
