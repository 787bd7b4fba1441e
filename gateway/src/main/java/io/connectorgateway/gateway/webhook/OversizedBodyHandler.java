package io.connectorgateway.gateway.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.ApiExceptionHandler;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micronaut's own body limit ({@code micronaut.server.max-request-size}, set to the same 1 MiB)
 * refuses an oversized body while it is still arriving, before the webhook code sees it; this
 * turns that into the same 413 answer and rejection metric as the webhook's own check.
 */
@Controller
class OversizedBodyHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OversizedBodyHandler.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final WebhookMetrics metrics;

    OversizedBodyHandler(WebhookMetrics metrics) {
        this.metrics = metrics;
    }

    @Error(global = true, exception = ContentLengthExceededException.class)
    HttpResponse<Map<String, Object>> oversized(HttpRequest<?> request, ContentLengthExceededException e) {
        String path = request.getPath();
        if (path.startsWith("/admin/")) {
            // the admin API answers in its own error shape (gateway/ADMIN.md), and is no webhook rejection
            ApiException tooLarge = ApiException.tooLarge("the body exceeds the limit of " + WebhookIngress.MAX_BODY_BYTES + " bytes");
            LOG.info("{} refused (oversized)", path);
            return HttpResponse.<Map<String, Object>>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(Json.mapper().convertValue(ApiExceptionHandler.body(tooLarge), MAP));
        }
        Refusal refusal = new Refusal(Refusal.Reason.OVERSIZED, "the body exceeds the limit of " + WebhookIngress.MAX_BODY_BYTES + " bytes");
        Connector connector = path.startsWith("/webhooks/line") ? Connector.LINE
                : path.startsWith("/webhooks/works") ? Connector.WORKS : null;
        metrics.refused(connector, refusal.reason());
        LOG.info("{} refused (oversized): {}", path, refusal.getMessage());
        return WebhookResponses.refused(refusal);
    }
}
