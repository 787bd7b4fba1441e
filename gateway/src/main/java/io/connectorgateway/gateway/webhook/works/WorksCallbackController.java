package io.connectorgateway.gateway.webhook.works;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.gateway.webhook.Refusal;
import io.connectorgateway.gateway.webhook.Registry;
import io.connectorgateway.gateway.webhook.WebhookIngress;
import io.connectorgateway.gateway.webhook.WebhookResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /webhooks/works}: the callback URL of every registered LINE WORKS bot. The bot is
 * named by {@code X-WORKS-BotId}; header names are matched case-insensitively, as LINE WORKS asks
 * (it may change their spelling without notice).
 */
@Controller("/webhooks/works")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WorksCallbackController {
    static final String BOT_ID_HEADER = "X-WORKS-BotId";
    static final String SIGNATURE_HEADER = "X-WORKS-Signature";

    private final WebhookIngress ingress;
    private final Registry registry;

    public WorksCallbackController(WebhookIngress ingress, Registry registry) {
        this.ingress = ingress;
        this.registry = registry;
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> receive(HttpRequest<?> request, @Nullable @Body byte[] body) {
        // Headers are read from the request, every value of them: a binding would silently take the
        // first of duplicated headers (and falls back to a header named like the parameter).
        HttpHeaders headers = request.getHeaders();
        List<String> botIds = headers.getAll(BOT_ID_HEADER);
        String botId = botIds.size() == 1 ? botIds.get(0) : null;
        try {
            var received = ingress.handle(Connector.WORKS, headers.getAll(HttpHeaders.CONTENT_TYPE), body,
                    headers.getAll(SIGNATURE_HEADER),
                    () -> {
                        if (botIds.size() > 1) {
                            throw new Refusal(Refusal.Reason.DUPLICATE_HEADER, "the " + BOT_ID_HEADER + " header is given "
                                    + botIds.size() + " times");
                        }
                        return registry.worksBot(botId).orElseThrow(() -> new Refusal(Refusal.Reason.UNKNOWN_BOT,
                                botId == null ? "the " + BOT_ID_HEADER + " header is missing" : "no WORKS bot is registered under this bot id"));
                    },
                    WorksTranslator::translate,
                    "webhook:works/" + (botId == null ? "" : botId.trim()));
            return WebhookResponses.accepted(received);
        } catch (Refusal r) {
            return WebhookResponses.refused(r);
        }
    }
}
