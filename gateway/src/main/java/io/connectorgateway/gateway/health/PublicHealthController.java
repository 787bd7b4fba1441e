package io.connectorgateway.gateway.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * {@code GET /health} on the public (webhook) port: {@code {"status":"UP"}} (200) or
 * {@code {"status":"DOWN"}} (503), the same verdict as the management port's {@code /health}, and
 * nothing more: no indicator names, no Kafka cluster id, no error text. Health details, liveness,
 * readiness and metrics are served on the management port only ({@code GATEWAY_MANAGEMENT_PORT}).
 *
 * <p>The endpoint routes are bound to the management port, and routes without a port are not
 * served there, so this route and the endpoint's {@code /health} never meet.
 */
@Controller("/health")
public class PublicHealthController {
    private final HealthEndpoint health;

    public PublicHealthController(HealthEndpoint health) {
        this.health = health;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<Map<String, String>>> status() {
        CompletableFuture<HealthStatus> verdict = new CompletableFuture<>();
        health.getHealth(null).subscribe(new Subscriber<HealthResult>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(HealthResult result) {
                verdict.complete(result.getStatus());
            }

            @Override
            public void onError(Throwable t) {
                verdict.complete(HealthStatus.DOWN); // never the error text
            }

            @Override
            public void onComplete() {
                verdict.complete(HealthStatus.DOWN); // no-op when a result came
            }
        });
        return verdict.thenApply(PublicHealthController::answer);
    }

    static HttpResponse<Map<String, String>> answer(HealthStatus status) {
        boolean up = HealthStatus.UP.equals(status);
        return HttpResponse.<Map<String, String>>status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", up ? "UP" : "DOWN"));
    }
}
