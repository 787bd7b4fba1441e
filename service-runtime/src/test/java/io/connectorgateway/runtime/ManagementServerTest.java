package io.connectorgateway.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static java.util.stream.Stream<io.micrometer.core.instrument.MeterRegistry> leaves(io.micrometer.core.instrument.MeterRegistry r) {
        return r instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c
                ? java.util.stream.Stream.concat(java.util.stream.Stream.of(r), c.getRegistries().stream().flatMap(ManagementServerTest::leaves))
                : java.util.stream.Stream.of(r);
    }

    @Test
    void healthFollowsTheLoopAndNothingElseIsServed() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (ManagementServer server = ManagementServer.start("greeting-bot", -1,
                () -> new ManagementServer.Status(up.get(), Map.of("state", up.get() ? "RUNNING" : "FAILED")))) {
            HttpResponse<String> healthy = get(server.port(), "/health");
            assertEquals(200, healthy.statusCode(), healthy.body());
            assertTrue(healthy.body().contains("RUNNING"), healthy.body());

            up.set(false);
            HttpResponse<String> down = get(server.port(), "/health");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("FAILED"), down.body());

            assertEquals(200, get(server.port(), "/prometheus").statusCode());
            // Another service's controller on the classpath is not part of this server.
            assertEquals(404, get(server.port(), "/intruder").statusCode());
            // metrics are scraped, not written into the log every minute
            assertTrue(server.meterRegistries().stream().flatMap(ManagementServerTest::leaves)
                    .noneMatch(io.connectorgateway.testsupport.Meters::logsMetrics), "a meter registry that writes metrics into the log");
        }
    }
}
