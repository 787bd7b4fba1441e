package io.connectorgateway.policy.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /health} for orchestrators (the compose health check, a Kubernetes probe): 200 while
 * the policy application is running or rebalancing, 503 otherwise, with its state in the body. The JDK's own HTTP server: the stream needs
 * nothing more and should not carry a web framework for one endpoint.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    static HealthServer start(int port, PolicyStreamsService service) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "policy-health");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", exchange -> {
            KafkaStreams.State policy = service.state();
            boolean up = alive(policy);
            byte[] body = ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"policy\":\"" + policy + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new HealthServer(server);
    }

    private static boolean alive(KafkaStreams.State s) {
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
