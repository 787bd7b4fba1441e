package io.connectorgateway.gateway.webhook;

import static io.connectorgateway.gateway.webhook.GatewayFixture.LINE_DESTINATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No loss: while Kafka is unreachable the gateway answers 503 (the sender retries) and is not
 * ready; once Kafka is back, the retried webhook lands exactly once. The outage is a proxy between
 * this gateway and the shared broker, so no other test loses its broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaOutageBrokerTest {

    @Test
    void aBrokerThatIsDownGives503AndTheRetryLandsExactlyOnce(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (KafkaProxy proxy = KafkaProxy.start(broker.bootstrapServers());
             GatewayFixture gateway = GatewayFixture.start(broker, ns, proxy.bootstrapServers(),
                     Map.of("gateway.kafka.readiness-cache-ttl", "100ms", "gateway.kafka.ack-timeout", "1500ms"))) {
            String user = GatewayFixture.newLineUser();
            String webhook = "{\"destination\":\"" + LINE_DESTINATION + "\",\"events\":[{\"type\":\"message\",\"timestamp\":" + GatewayFixture.NOW + ","
                    + "\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},\"webhookEventId\":\"01OUTAGE\","
                    + "\"deliveryContext\":{\"isRedelivery\":false},\"message\":{\"id\":\"777001\",\"type\":\"text\",\"text\":\"during the outage\"}}]}";
            // the proxy path works: the gateway is ready and accepts through it
            assertEquals(200, gateway.line(webhook.replace(user, user + "0").replace("777001", "777000")).statusCode());
            awaitStatus("readiness while Kafka is reachable", 200, () -> gateway.management("/health/readiness"));

            proxy.pause();
            HttpResponse<String> during = gateway.line(webhook);
            assertEquals(503, during.statusCode(), during.body());
            assertTrue(during.body().contains("kafka-unavailable"), during.body());
            assertEquals("1", during.headers().firstValue("Retry-After").orElse(null));
            awaitStatus("readiness while Kafka is unreachable", 503, () -> gateway.management("/health/readiness"));
            HttpResponse<String> open = gateway.get("/health");
            assertEquals(503, open.statusCode(), open.body());
            assertEquals("{\"status\":\"DOWN\"}", open.body(), "the public port gives no error text");
            assertTrue(gateway.management("/health").body().contains("error"), "the management port has the details");

            proxy.resume();
            // the platform retries (LINE redelivers with isRedelivery=true; same ids) until accepted
            String redelivery = webhook.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
            awaitStatus("the retried webhook once Kafka is back", 200, () -> gateway.line(redelivery));
            awaitStatus("readiness once Kafka is back", 200, () -> gateway.management("/health/readiness"));

            List<ConnectorEvent> landed = gateway.readAll(gateway.topics.lineEvents).stream()
                    .map(ConsumerRecord::value)
                    .filter(e -> e.externalUserId().equals(user))
                    .toList();
            assertEquals(1, landed.size(), "the 503'd attempt left nothing behind, the retry landed once: " + landed);
            assertEquals("lm-777001", landed.get(0).eventId());
            assertTrue(landed.get(0).redelivery());
            assertTrue(gateway.management("/prometheus").body()
                    .contains("gateway_webhook_rejections_total{connector=\"line\",reason=\"kafka-unavailable\"}"));
        }
    }

    /** Repeats {@code call} until it answers {@code status}, within the broker patience. */
    private static void awaitStatus(String what, int status, Supplier<HttpResponse<String>> call) throws InterruptedException {
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        HttpResponse<String> last;
        do {
            last = call.get();
            if (last.statusCode() == status) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail(what + ": expected " + status + " but the last answer was " + last.statusCode() + " " + last.body());
    }
}
