package io.connectorgateway.gateway.webhook;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON answers of the webhook endpoints, so both platforms' endpoints answer alike. */
public final class WebhookResponses {
    private WebhookResponses() {
    }

    public static MutableHttpResponse<Map<String, Object>> accepted(WebhookIngress.Received r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "accepted");
        body.put("produced", r.produced());
        body.put("ignored", r.ignored());
        body.put("deadLettered", r.deadLettered());
        body.put("stale", r.stale());
        if (r.spooled()) {
            body.put("spooled", true);
        }
        return HttpResponse.ok(body);
    }

    public static MutableHttpResponse<Map<String, Object>> refused(Refusal r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "refused");
        body.put("reason", r.reason().tag());
        body.put("message", r.getMessage());
        MutableHttpResponse<Map<String, Object>> response = HttpResponse.<Map<String, Object>>status(r.reason().status()).body(body);
        if (r.retryAfterSeconds() > 0) {
            response.header("Retry-After", Long.toString(r.retryAfterSeconds()));
        }
        return response;
    }
}
