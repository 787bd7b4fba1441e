package io.connectorgateway.local.fault;

import io.connectorgateway.local.LineWebhooks;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays LINE WORKS towards the gateway for the whole run: signed bot callbacks (text messages of
 * one external user), one every 150 ms, each sent <b>once</b>: LINE WORKS never delivers a
 * callback again, whatever the answer. Every callback is recorded with its answer, so the suite can
 * check that none answered 200 is missing from the topic, and that none was refused during an
 * outage (the gateway's spool must take it).
 */
final class WorksSender implements AutoCloseable {
    /**
     * One callback: its unique text, when it was sent and answered ({@link System#nanoTime()}), the
     * status (-1: no answer) and the gateway (index) that took the request.
     */
    record Callback(String text, long startNanos, long endNanos, int status, int gateway) {
        boolean accepted() {
            return status / 100 == 2;
        }
    }

    /** The gateways: callbacks go round them (each callback still once). */
    private final LoadBalancer gateways;
    private final String botId;
    private final String secret;
    private final String user;
    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread lane;

    WorksSender(List<String> gatewayUrls, String botId, String secret, String user) {
        this.gateways = new LoadBalancer(gatewayUrls, "/webhooks/works");
        this.botId = botId;
        this.secret = secret;
        this.user = user;
        this.lane = new Thread(this::run, "fault-works-callbacks");
        lane.setDaemon(true);
        lane.start();
    }

    private void run() {
        int n = 0;
        while (running.get()) {
            n++;
            String text = "works callback " + n;
            String body = String.format("{\"type\":\"message\",\"source\":{\"userId\":\"%s\",\"domainId\":40029600},"
                    + "\"issuedTime\":\"%s\",\"content\":{\"type\":\"text\",\"text\":\"%s\"}}", user, Instant.now(), text);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            LoadBalancer.Answer answer;
            try {
                answer = gateways.send(n, uri -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").header("X-WORKS-BotId", botId)
                        .header("X-WORKS-Signature", LineWebhooks.sign(secret, bytes))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            callbacks.add(new Callback(text, start, System.nanoTime(), answer.status(), answer.gateway()));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<Callback> callbacks() {
        return new ArrayList<>(callbacks);
    }

    String user() {
        return user;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        lane.join(Duration.ofMinutes(1).toMillis());
    }
}
