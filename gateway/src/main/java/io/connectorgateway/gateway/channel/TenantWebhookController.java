package io.connectorgateway.gateway.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.RequestJson;
import io.connectorgateway.gateway.view.TenantRouter;
import io.connectorgateway.gateway.webhook.Refusal;
import io.connectorgateway.gateway.webhook.WebhookIngress;
import io.connectorgateway.gateway.webhook.WebhookResponses;
import io.connectorgateway.gateway.webhook.line.LineTranslator;
import io.connectorgateway.gateway.webhook.works.WorksTranslator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The webhook URLs of channels registered as data ({@code connector.channels}):
 * {@code POST /webhooks/line/{tenant}/{channelId}} and {@code POST /webhooks/works/{tenant}} (bot in
 * {@code X-WORKS-BotId}). The URL names the tenant, so the request is answered by the gateway
 * instance that owns the tenant's partition, from that partition's index of channel ids
 * ({@link ChannelDirectory}); another instance forwards it there unchanged (body, signature),
 * and the owner checks everything itself. No instance holds another tenant's channels.
 *
 * <p>The same {@link WebhookIngress} path as the configured channels: size, content type, sender,
 * signature in constant time, JSON, translation, Kafka acknowledgement.
 */
@Controller("/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TenantWebhookController {
    static final String LINE_SIGNATURE = "x-line-signature";
    static final String WORKS_BOT_ID = "X-WORKS-BotId";
    static final String WORKS_SIGNATURE = "X-WORKS-Signature";

    private final WebhookIngress ingress;
    private final ChannelDirectory directory;
    private final TenantRouter router;

    public TenantWebhookController(WebhookIngress ingress, ChannelDirectory directory, TenantRouter router) {
        this.ingress = ingress;
        this.directory = directory;
        this.router = router;
    }

    @Post(uri = "/line/{tenant}/{channel}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JsonNode> line(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String channel,
                                       @Nullable @Body byte[] body) {
        HttpHeaders headers = request.getHeaders();
        String t = RequestJson.tenant(tenant);
        return router.answer(request, t, body, () -> answer(() -> ingress.handle(Connector.LINE,
                headers.getAll(HttpHeaders.CONTENT_TYPE), body, headers.getAll(LINE_SIGNATURE),
                () -> directory.line(t, channel), LineTranslator::translate, "webhook:line/" + t + "/" + channel)));
    }

    @Post(uri = "/works/{tenant}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JsonNode> works(HttpRequest<?> request, @PathVariable String tenant, @Nullable @Body byte[] body) {
        HttpHeaders headers = request.getHeaders();
        String t = RequestJson.tenant(tenant);
        List<String> botIds = headers.getAll(WORKS_BOT_ID);
        String botId = botIds.size() == 1 ? botIds.get(0).trim() : null;
        return router.answer(request, t, body, () -> answer(() -> ingress.handle(Connector.WORKS,
                headers.getAll(HttpHeaders.CONTENT_TYPE), body, headers.getAll(WORKS_SIGNATURE),
                () -> {
                    if (botIds.size() > 1) {
                        throw new Refusal(Refusal.Reason.DUPLICATE_HEADER, "the " + WORKS_BOT_ID + " header is given "
                                + botIds.size() + " times");
                    }
                    if (botId == null) {
                        throw new Refusal(Refusal.Reason.UNKNOWN_BOT, "the " + WORKS_BOT_ID + " header is missing");
                    }
                    return directory.works(t, botId);
                },
                WorksTranslator::translate, "webhook:works/" + t + "/" + (botId == null ? "" : botId))));
    }

    private static HttpResponse<JsonNode> answer(Supplier<WebhookIngress.Received> handle) {
        MutableHttpResponse<Map<String, Object>> r;
        try {
            r = WebhookResponses.accepted(handle.get());
        } catch (Refusal refusal) {
            r = WebhookResponses.refused(refusal);
        }
        MutableHttpResponse<JsonNode> out = HttpResponse.<JsonNode>status(r.status())
                .body(Json.mapper().valueToTree(r.body()));
        r.getHeaders().getAll(HttpHeaders.RETRY_AFTER).forEach(v -> out.header(HttpHeaders.RETRY_AFTER, v));
        return out;
    }
}
