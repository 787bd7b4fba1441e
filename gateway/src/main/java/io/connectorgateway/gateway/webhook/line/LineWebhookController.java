package io.connectorgateway.gateway.webhook.line;

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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;

/**
 * {@code POST /webhooks/line/{channel}}: the webhook URL of one LINE channel of the registry.
 *
 * <p>The channel comes from the URL, not from the body's {@code destination}, so the signature is
 * checked with the right secret before a single byte is parsed; the destination must then match.
 * Runs on the blocking executor because it waits for Kafka's acknowledgement.
 */
@Controller("/webhooks/line")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LineWebhookController {
    static final String SIGNATURE_HEADER = "x-line-signature";

    private final WebhookIngress ingress;
    private final Registry registry;

    public LineWebhookController(WebhookIngress ingress, Registry registry) {
        this.ingress = ingress;
        this.registry = registry;
    }

    @Post(uri = "/{channel}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> receive(HttpRequest<?> request, @PathVariable String channel,
                                                     @Nullable @Body byte[] body) {
        // Headers are read from the request, every value of them: a binding would silently take the
        // first of duplicated headers (and falls back to a header named like the parameter).
        HttpHeaders headers = request.getHeaders();
        try {
            var received = ingress.handle(Connector.LINE, headers.getAll(HttpHeaders.CONTENT_TYPE), body,
                    headers.getAll(SIGNATURE_HEADER),
                    () -> registry.lineChannel(channel).orElseThrow(() -> new Refusal(Refusal.Reason.UNKNOWN_CHANNEL,
                            "no LINE channel is registered for this webhook URL")),
                    LineTranslator::translate,
                    "webhook:line/" + channel);
            return WebhookResponses.accepted(received);
        } catch (Refusal r) {
            return WebhookResponses.refused(r);
        }
    }
}
