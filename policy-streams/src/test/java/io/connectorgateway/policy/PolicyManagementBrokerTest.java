package io.connectorgateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.policy.app.PolicyStreamsApp;
import io.connectorgateway.runtime.ManagementServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The policy service's health and metrics, served as the greeting bot's are (service-runtime's
 * ManagementServer): UP with the application's state while it runs, 503 once it stopped, and
 * Kafka Streams' own metrics on {@code /prometheus}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PolicyManagementBrokerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthFollowsTheApplicationAndItsMetricsAreScraped(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 2)) {
            var app = stack.start("policy");
            assertTrue(app.awaitRunning(KafkaBroker.patience()), "state: " + app.state());
            try (ManagementServer management = PolicyStreamsApp.management(app, -1)) {
                HttpResponse<String> up = get(management.port(), "/health");
                assertEquals(200, up.statusCode(), up.body());
                assertTrue(up.body().contains("RUNNING"), up.body());

                HttpResponse<String> metrics = get(management.port(), "/prometheus");
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("kafka_stream"), "Kafka Streams metrics on /prometheus");

                app.close();
                HttpResponse<String> down = get(management.port(), "/health");
                assertEquals(503, down.statusCode(), down.body());
                assertTrue(down.body().contains("NOT_RUNNING"), down.body());
            }
        }
    }
}
