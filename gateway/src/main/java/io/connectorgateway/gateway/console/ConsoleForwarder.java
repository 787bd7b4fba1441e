package io.connectorgateway.gateway.console;

import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a console request for a tenant that another instance owns to that instance and relays its
 * page, as {@link TenantRouter} does for the admin API. The owner checks the session and the CSRF
 * token again (so every instance needs the same {@code gateway.console.session-key}). The browser's
 * Origin was checked here and is not sent on.
 */
@Singleton
public final class ConsoleForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleForwarder.class);
    private static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.COOKIE, HttpHeaders.ACCEPT_LANGUAGE);
    private static final List<String> ANSWER_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION,
            HttpHeaders.SET_COOKIE, HttpHeaders.RETRY_AFTER, HttpHeaders.CONTENT_DISPOSITION);

    private final TenantRouter router;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConsoleForwarder(TenantRouter router) {
        this.router = router;
    }

    public MutableHttpResponse<?> forward(HttpRequest<?> request, URI owner, Map<String, String> form) {
        return send(request, owner, form, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A GET whose answer may be long (an export): relayed as it arrives, never held whole here. */
    public MutableHttpResponse<?> stream(HttpRequest<?> request, URI owner) {
        return send(request, owner, null, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    }

    private <T> MutableHttpResponse<?> send(HttpRequest<?> request, URI owner, Map<String, String> form,
                                            java.net.http.HttpResponse.BodyHandler<T> handler) {
        URI uri = request.getUri();
        URI target = owner.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        var b = java.net.http.HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60));
        if (form == null) {
            b.method(request.getMethodName(), java.net.http.HttpRequest.BodyPublishers.noBody());
        } else {
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            b.method(request.getMethodName(), java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_FORM_URLENCODED);
        }
        for (String name : REQUEST_HEADERS) {
            request.getHeaders().getAll(name).forEach(v -> b.header(name, v));
        }
        b.header("X-Forwarded-Proto", ConsolePages.https(request) ? "https" : "http");
        b.header(TenantRouter.FORWARDED, router.forwardedBy());
        java.net.http.HttpResponse<T> answer;
        try {
            answer = http.send(b.build(), handler);
        } catch (IOException e) {
            LOG.warn("forwarding console {} {} to {} failed: {}", request.getMethodName(), uri.getRawPath(), owner, e.toString());
            return ConsolePages.secure(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .contentType(MediaType.TEXT_PLAIN_TYPE).body("the gateway instance that owns this tenant did not answer; "
                            + "retry shortly"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE);
        }
        MutableHttpResponse<T> out = HttpResponse.status(HttpStatus.valueOf(answer.statusCode()));
        for (String name : ANSWER_HEADERS) {
            answer.headers().allValues(name).forEach(v -> out.getHeaders().add(name, v));
        }
        return out.body(answer.body());
    }
}
