package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.json.Json;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders {@link ApiException} as the admin API's JSON error body. */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public final class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ApiException e) {
        return response(e);
    }

    /** The answer to a refusal: its status, the JSON body, and the headers its status calls for. */
    public static MutableHttpResponse<?> response(ApiException e) {
        var response = HttpResponse.status(HttpStatus.valueOf(e.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body(e));
        if (e.status() == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"connector-admin\"");
        }
        if (e.retryAfterSeconds() > 0) {
            // 503: Kafka, or the tenant's partition moving between instances, both pass within
            // seconds; 429: when the tenant's rate limit lets a call through again
            response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    public static ObjectNode body(ApiException e) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("status", e.status());
        body.put("error", e.error());
        body.put("message", e.getMessage());
        var violations = body.putArray("violations");
        for (var v : e.violations()) {
            violations.addObject().put("rule", v.rule()).put("field", v.field()).put("message", v.message());
        }
        if (e.currentVersion() != null) {
            body.put("currentVersion", e.currentVersion());
        }
        return body;
    }
}
