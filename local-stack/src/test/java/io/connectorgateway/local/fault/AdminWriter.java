package io.connectorgateway.local.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admin writes through every gateway for the whole run (issue 17 item 2): an operator sets the
 * plan of one tenant that has no traffic ({@code PUT /admin/v1/tenants/{t}/plan}, alternately
 * LITE and BASIC), one write every 1.5 s, the gateways taken in turn; a write not answered 200 is
 * sent again to the next gateway until one is. Each write writes both connector rows with their
 * next version (and an audit record) in one transaction on the tenant's owner, whichever gateway
 * took the request, so the suite can check that every 200 is on the topic and that no version was
 * written twice.
 */
final class AdminWriter implements AutoCloseable {
    /** One HTTP attempt: which gateway, the answer (-1: none), and for a 200 the LINE row's version it reported. */
    record Attempt(int gateway, int status, long lineVersion) {
    }

    /** One write (a plan) and its attempts. */
    record Write(String plan, List<Attempt> attempts) {
        Attempt accepted() {
            return attempts.stream().filter(a -> a.status() == 200).findFirst().orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<URI> endpoints;
    private final String token;
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread lane;

    AdminWriter(List<String> gatewayUrls, String tenant, String operatorToken) {
        this.endpoints = gatewayUrls.stream().map(u -> URI.create(u + "/admin/v1/tenants/" + tenant + "/plan")).toList();
        this.token = operatorToken;
        Thread t = new Thread(this::run, "fault-admin-writes");
        t.setDaemon(true);
        t.start();
        this.lane = t;
    }

    private void run() {
        try {
            play();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void play() throws InterruptedException {
        int next = 0;
        int n = 0;
        while (running.get()) {
            n++;
            String plan = n % 2 == 1 ? "LITE" : "BASIC";
            List<Attempt> attempts = new ArrayList<>();
            writes.add(new Write(plan, attempts));
            while (true) {
                int gateway = next++ % endpoints.size();
                Attempt a = put(gateway, plan, n);
                synchronized (attempts) {
                    attempts.add(a);
                }
                if (a.status() == 200) {
                    break;
                }
                Thread.sleep(500);
            }
            Thread.sleep(1500);
        }
    }

    private Attempt put(int gateway, String plan, int n) {
        String body = "{\"plan\":\"" + plan + "\",\"reason\":\"fault suite admin write " + n + "\"}";
        HttpRequest request = HttpRequest.newBuilder(endpoints.get(gateway)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long version = -1;
            if (r.statusCode() == 200) {
                for (JsonNode row : Json.mapper().readTree(r.body()).path("settings")) {
                    if ("LINE".equals(row.path("connector").asText())) {
                        version = row.path("version").asLong(-1);
                    }
                }
            }
            return new Attempt(gateway, r.statusCode(), version);
        } catch (java.io.IOException e) {
            return new Attempt(gateway, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(gateway, -1, -1);
        }
    }

    /** Every write so far, each with a copy of its attempts. */
    List<Write> writes() {
        return writes.stream().map(AdminWriter::copy).toList();
    }

    private static Write copy(Write w) {
        synchronized (w.attempts()) {
            return new Write(w.plan(), List.copyOf(w.attempts()));
        }
    }

    /** Stops after the write in progress was accepted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        lane.join(Duration.ofMinutes(2).toMillis());
    }
}
