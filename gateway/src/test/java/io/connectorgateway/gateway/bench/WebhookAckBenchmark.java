package io.connectorgateway.gateway.bench;

import io.connectorgateway.gateway.GatewayApplication;
import io.connectorgateway.gateway.webhook.Secrets;
import io.connectorgateway.testsupport.KafkaBroker;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Ack time of a LINE webhook: from sending the request to receiving the 200 that the gateway
 * gives only after {@code acks=all}. LINE gives up after a few seconds (the lead's budget is 2 s);
 * this measures how far below that the gateway stays. A benchmark, not a test: run it by hand.
 *
 * <pre>
 * mvn -B -ntp -pl gateway -am test-compile
 * mvn -B -ntp -pl gateway exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.connectorgateway.gateway.bench.WebhookAckBenchmark [-Dexec.args="5000 4"]
 * </pre>
 * Arguments: requests (default 3000) and concurrent senders (default 4). Uses the embedded broker
 * unless {@code KAFKA_BOOTSTRAP_SERVERS} names a cluster.
 */
public final class WebhookAckBenchmark {
    private static final String SECRET = "bench-secret";
    private static final String DESTINATION = "U0123456789abcdef0123456789abcdef";

    private WebhookAckBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        KafkaBroker broker = KafkaBroker.get();
        KafkaBroker.Namespace ns = broker.namespace("bench");
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("gateway.kafka.bootstrap-servers", broker.bootstrapServers());
        p.put("gateway.kafka.topic-prefix", ns.topicPrefix());
        p.put("gateway.kafka.topic-partitions", 8);
        p.put("gateway.line.channels.bench.destination", DESTINATION);
        p.put("gateway.line.channels.bench.tenant", "acme");
        p.put("gateway.line.channels.bench.member", "alice");
        p.put("gateway.line.channels.bench.url-token", "tok1");
        p.put("gateway.line.channels.bench.secrets", SECRET);
        try (EmbeddedServer server = GatewayApplication.start(p)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.getPort() + "/webhooks/line/bench");
            run(http, uri, 500, senders, 0, new Histogram(60_000_000_000L, 3)); // warm-up
            Histogram h = new Histogram(60_000_000_000L, 3);
            long started = System.nanoTime();
            run(http, uri, requests, senders, 1_000_000, h);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%d webhooks (1 text message each), %d concurrent senders, %.0f req/s%n", requests, senders,
                    requests / seconds);
            System.out.printf("ack time ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        }
        System.exit(0);
    }

    private static void run(HttpClient http, URI uri, int requests, int senders, int idBase, Histogram h) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            futures.add(pool.submit(() -> {
                for (int i = sender; i < requests; i += senders) {
                    String user = "Ubench" + (i % 500);
                    byte[] body = ("{\"destination\":\"" + DESTINATION + "\",\"events\":[{\"type\":\"message\",\"timestamp\":"
                            + System.currentTimeMillis() + ",\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},"
                            + "\"webhookEventId\":\"01B" + (idBase + i) + "\",\"deliveryContext\":{\"isRedelivery\":false},"
                            + "\"message\":{\"id\":\"" + (idBase + i) + "\",\"type\":\"text\",\"text\":\"hello " + i + "\"}}]}")
                            .getBytes(StandardCharsets.UTF_8);
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json")
                            .header("x-line-signature", Secrets.signature(SECRET, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
                    }
                    synchronized (h) {
                        h.recordValue(took);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }
}
