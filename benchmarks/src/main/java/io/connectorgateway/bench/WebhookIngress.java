package io.connectorgateway.bench;

import io.connectorgateway.gateway.GatewayApplication;
import io.connectorgateway.gateway.webhook.Secrets;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Benchmark 4: signed LINE webhooks (one text message each) against the real gateway, which
 * answers 200 only after {@code acks=all}, next to the same server's {@code /health/liveness}
 * under the same closed-loop generator. Gateway and generator share this JVM and the 2 cores
 * with the broker, for both endpoints alike.
 */
final class WebhookIngress {
    static final String NAME = "4 webhook ingress";
    private static final String SECRET = "bench-secret";
    private static final String DESTINATION = "U0123456789abcdef0123456789abcdef";
    private static final int SENDERS = 16;

    private final Bench bench;

    WebhookIngress(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("gateway.kafka.bootstrap-servers", bench.bootstrap);
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        p.put("gateway.channels.keys", "bench:" + java.util.Base64.getEncoder().encodeToString(kek));
        p.put("gateway.kafka.topic-prefix", "bench4.");
        p.put("gateway.kafka.topic-partitions", 8);
        p.put("gateway.line.channels.bench.destination", DESTINATION);
        p.put("gateway.line.channels.bench.tenant", "acme");
        p.put("gateway.line.channels.bench.member", "alice");
        p.put("gateway.line.channels.bench.url-token", "tok1");
        p.put("gateway.line.channels.bench.secrets", SECRET);
        // one channel at full speed: the per-channel rate limit is on (its cost is measured) but set
        // far above what the box can send, so that it never refuses
        p.put("gateway.rate-limit.webhook-capacity", 1_000_000_000L);
        p.put("gateway.rate-limit.webhook-per-second", 1_000_000_000L);
        try (EmbeddedServer server = GatewayApplication.start(p)) {
            URI webhook = URI.create("http://127.0.0.1:" + server.getPort() + "/webhooks/line/bench");
            // the same server's liveness, on its management port (the same Netty server and event loops)
            URI health = URI.create("http://127.0.0.1:" + GatewayApplication.managementPort(server) + "/health/liveness");
            HttpLoad load = new HttpLoad(SENDERS);
            int n = bench.profile.webhooks();
            // Warm both paths up (JIT, connection pool, producer metadata) before measuring.
            load.run(Math.min(2_000, n), i -> signed(webhook, 10_000_000 + i));
            load.run(Math.min(2_000, n), i -> HttpRequest.newBuilder(health).GET().build());
            // Alternate the two, twice, and keep the better run of each: a noisy neighbour or a GC
            // during one run should not decide the ratio.
            HttpLoad.Outcome bare = null;
            HttpLoad.Outcome hooks = null;
            for (int round = 0; round < 2; round++) {
                bare = better(bare, load.run(n, i -> HttpRequest.newBuilder(health).GET().build()));
                int base = round * n;
                hooks = better(hooks, load.run(n, i -> signed(webhook, base + i)));
            }
            String note = SENDERS + " concurrent senders, " + n + " requests, better of 2 alternating runs";
            bench.record(NAME, "bare /health/liveness", "requests/s", bare.requestsPerSecond(), "req/s", note);
            bench.record(NAME, "bare /health/liveness", "p99", bare.p(99), "ms", "");
            bench.record(NAME, "signed LINE webhook (ack after acks=all)", "requests/s", hooks.requestsPerSecond(), "req/s",
                    "1 text message per webhook");
            bench.record(NAME, "signed LINE webhook (ack after acks=all)", "p50", hooks.p(50), "ms", "");
            bench.record(NAME, "signed LINE webhook (ack after acks=all)", "p99", hooks.p(99), "ms", "");
            bench.record(NAME, "ratio webhook/bare", "requests/s", hooks.requestsPerSecond() / bare.requestsPerSecond(), "x",
                    "target >= 0.50");
        }
    }

    private static HttpLoad.Outcome better(HttpLoad.Outcome a, HttpLoad.Outcome b) {
        return a == null || b.requestsPerSecond() > a.requestsPerSecond() ? b : a;
    }

    private static HttpRequest signed(URI uri, int i) {
        String user = "Ubench" + (i % 500);
        byte[] body = ("{\"destination\":\"" + DESTINATION + "\",\"events\":[{\"type\":\"message\",\"timestamp\":"
                + System.currentTimeMillis() + ",\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},"
                + "\"webhookEventId\":\"01B" + i + "\",\"deliveryContext\":{\"isRedelivery\":false},"
                + "\"message\":{\"id\":\"" + i + "\",\"type\":\"text\",\"text\":\"hello " + i + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("x-line-signature", Secrets.signature(SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }
}
