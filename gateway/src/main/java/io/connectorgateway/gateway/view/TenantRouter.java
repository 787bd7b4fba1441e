package io.connectorgateway.gateway.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.ApiException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an admin request where its tenant lives: here when this instance owns the tenant's
 * partition, otherwise on the owner, by forwarding the same request (method, path, query, body,
 * {@code Authorization}, {@code Content-Type}, {@code If-Match}) and relaying its answer. The
 * owner authenticates and authorises it again. A forwarded request carries {@value #FORWARDED}
 * and is never forwarded a second time: during a rebalance it waits for its partition or gets 503.
 */
@Singleton
public final class TenantRouter {
    public static final String FORWARDED = "X-Connector-Gateway-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(TenantRouter.class);
    private static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.IF_MATCH,
            // tenant-scoped webhooks (channel package): the owner checks the signature itself
            "x-line-signature", "X-WORKS-BotId", "X-WORKS-Signature");
    private static final List<String> ANSWER_HEADERS = List.of(HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER,
            HttpHeaders.WWW_AUTHENTICATE);

    private final GatewayView view;
    private final ViewConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TenantRouter(GatewayView view, ViewConfig config) {
        this.view = view;
        this.config = config;
    }

    /**
     * Answers {@code request} for {@code tenant}: {@code local} runs it here when this instance owns
     * the tenant, else the owner's answer is relayed.
     *
     * @param body the request body as received (null when none)
     */
    public HttpResponse<JsonNode> answer(HttpRequest<?> request, String tenant, byte[] body,
                                         Supplier<HttpResponse<JsonNode>> local) {
        return route(request, tenant, owner -> forward(request, owner, body), local);
    }

    /**
     * Runs {@code local} here when this instance owns {@code tenant}'s partition (again on the new
     * owner's turn when a rebalance interrupts it), else {@code remote} with the owner's URL. The
     * admin API relays JSON ({@link #answer}); the console relays its pages.
     */
    public <R> R route(HttpRequest<?> request, String tenant, java.util.function.Function<URI, R> remote,
                       Supplier<R> local) {
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        while (true) {
            GatewayView.Route route = view.route(tenant, request.getHeaders().contains(FORWARDED));
            if (route instanceof GatewayView.Remote r) {
                return remote.apply(r.owner());
            }
            try {
                return local.get();
            } catch (InvalidStateStoreException e) {
                // A rebalance began while the request read the view. Nothing was written yet (a write
                // that went out waits for the view through any rebalance), so it runs again, here or
                // at the partition's new owner.
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                view.await(100);
            }
        }
    }

    /** The marker value a forwarded request carries: this instance's advertised host and port. */
    public String forwardedBy() {
        return view.self().map(h -> h.host() + ":" + h.port()).orElse("?");
    }

    private HttpResponse<JsonNode> forward(HttpRequest<?> request, URI owner, byte[] body) {
        URI uri = request.getUri();
        URI target = owner.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        var b = java.net.http.HttpRequest.newBuilder(target).timeout(config.forwardTimeout())
                .method(request.getMethodName(), body == null || body.length == 0
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : REQUEST_HEADERS) {
            request.getHeaders().getAll(name).forEach(v -> b.header(name, v));
        }
        b.header(FORWARDED, forwardedBy());
        java.net.http.HttpResponse<byte[]> answer;
        try {
            answer = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warn("forwarding {} {} to {} failed: {}", request.getMethodName(), uri.getRawPath(), owner, e.toString());
            throw ApiException.unavailable("the gateway instance that owns this tenant (" + owner + ") did not answer; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        JsonNode json = null;
        if (answer.body().length > 0) {
            try {
                json = Json.mapper().readTree(answer.body());
            } catch (IOException e) {
                throw ApiException.unavailable("the owning instance (" + owner + ") answered something that is not JSON");
            }
        }
        var out = HttpResponse.<JsonNode>status(HttpStatus.valueOf(answer.statusCode()));
        for (String name : ANSWER_HEADERS) {
            answer.headers().allValues(name).forEach(v -> out.header(name, v));
        }
        if (json != null) {
            out.contentType(MediaType.APPLICATION_JSON_TYPE).body(json);
        }
        return out;
    }
}
