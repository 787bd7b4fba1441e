package io.connectorgateway.local.fault;

import io.connectorgateway.local.LineWebhooks;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays LINE towards the gateway for the whole run: a signed follow, then text messages, one
 * webhook at a time, each retried (as a redelivery, same ids) until it is answered 2xx, the way
 * LINE redelivers. Every attempt is recorded with its time and answer, so the suite can check
 * what the gateway answered while the broker was down.
 */
final class WebhookSender implements AutoCloseable {
    /** One HTTP attempt: when it started and ended ({@link System#nanoTime()}), the status (-1: no answer) and the gateway (index). */
    record Attempt(long startNanos, long endNanos, int status, int gateway) {
    }

    /** One webhook and its attempts; {@code eventId} is what the gateway names the event on the topic. */
    record Webhook(String eventId, List<Attempt> attempts) {
        boolean accepted() {
            return attempts.stream().anyMatch(a -> a.status() / 100 == 2);
        }
    }

    /** The gateways: a webhook's attempts go round them, starting at a different one per webhook. */
    private final LoadBalancer gateways;
    private final String destination;
    private final String secret;
    private final List<Webhook> webhooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> lanes = new ArrayList<>();

    /**
     * {@code lanes} LINE users' webhooks in parallel, so several are in flight when the broker goes
     * away, spread over the gateways at {@code gatewayUrls} (as a load balancer would: a retry goes
     * to the next one).
     */
    WebhookSender(List<String> gatewayUrls, String channel, String destination, String secret, int lanes) {
        this.gateways = new LoadBalancer(gatewayUrls, "/webhooks/line/" + channel);
        this.destination = destination;
        this.secret = secret;
        for (int i = 0; i < lanes; i++) {
            int lane = i;
            Thread t = new Thread(() -> run(lane), "fault-webhooks-" + i);
            t.setDaemon(true);
            t.start();
            this.lanes.add(t);
        }
    }

    private void run(int lane) {
        int n = 0;
        while (running.get()) {
            n++;
            String user = "Ugw" + lane + "x" + (n / 10);
            long ts = System.currentTimeMillis();
            String body;
            String eventId;
            if (n % 10 == 0 || n == 1) {
                eventId = "01FAULTFOLLOW" + lane + "x" + n;
                body = LineWebhooks.follow(destination, user, eventId, ts);
            } else {
                String messageId = Long.toString(900_000_000L + lane * 10_000_000L + n);
                eventId = "lm-" + messageId;
                body = LineWebhooks.text(destination, user, "01FAULTTEXT" + lane + "x" + n, messageId, "hello " + n, ts);
            }
            List<Attempt> attempts = new ArrayList<>();
            webhooks.add(new Webhook(eventId, attempts));
            boolean first = true;
            int attempt = 0;
            while (true) {
                String sent = first ? body : body.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
                first = false;
                long start = System.nanoTime();
                LoadBalancer.Answer answer = post(lane + n + attempt++, sent);
                int status = answer.status();
                synchronized (attempts) {
                    attempts.add(new Attempt(start, System.nanoTime(), status, answer.gateway()));
                }
                if (status / 100 == 2) {
                    break;
                }
                // LINE gives up after a while; this sender never does, so every webhook gets through.
                sleep(200);
            }
            sleep(100);
        }
    }

    private LoadBalancer.Answer post(int first, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            return gateways.send(first, uri -> HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("x-line-signature", LineWebhooks.sign(secret, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoadBalancer.Answer(-1, Math.floorMod(first, gateways.size()));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every webhook so far, with a copy of its attempts. */
    List<Webhook> webhooks() {
        List<Webhook> out = new ArrayList<>();
        for (Webhook w : webhooks) {
            synchronized (w.attempts()) {
                out.add(new Webhook(w.eventId(), List.copyOf(w.attempts())));
            }
        }
        return out;
    }

    /** Stops after the webhook in progress was accepted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : lanes) {
            t.join(Duration.ofMinutes(2).toMillis());
        }
    }
}
