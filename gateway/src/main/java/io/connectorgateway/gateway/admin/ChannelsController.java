package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.function.Function;

/**
 * The channel registry's HTTP API (ADMIN.md, "Channels"): list, show, register, rotate and retire
 * a member's LINE channel / WORKS bot. Answers show fingerprints, never a secret. Runs on the
 * tenant's owner, like every admin call ({@link TenantRouter}); roles and the tenant are checked by
 * {@link AdminAuthFilter} from {@link AdminAccess}.
 */
@Controller("/admin/v1/tenants/{tenant}/connectors/{connector}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public final class ChannelsController {
    private final ChannelsService channels;
    private final TenantRouter router;

    public ChannelsController(ChannelsService channels, TenantRouter router) {
        this.channels = channels;
        this.router = router;
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/channels")
    public HttpResponse<JsonNode> list(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector) {
        return at(request, tenant, null, t -> {
            Connector c = RequestJson.connector(connector);
            return Map.of("tenant", t, "connector", c, "channels", channels.list(t, c));
        });
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/members/{member}/channel")
    public HttpResponse<JsonNode> show(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                       @PathVariable String member) {
        return at(request, tenant, null, t -> channels.get(t, RequestJson.connector(connector), member));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Put("/members/{member}/channel")
    public HttpResponse<JsonNode> register(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                           @PathVariable String member, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> channels.register(RequestJson.principal(request), t, RequestJson.connector(connector),
                member, RequestJson.read(body, ChannelRequests.Register.class)));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post("/members/{member}/channel:rotate")
    public HttpResponse<JsonNode> rotate(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                         @PathVariable String member, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> channels.rotate(RequestJson.principal(request), t, RequestJson.connector(connector),
                member, RequestJson.read(body, ChannelRequests.Rotate.class)));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post("/members/{member}/channel:retire")
    public HttpResponse<JsonNode> retire(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                         @PathVariable String member, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> channels.retire(RequestJson.principal(request), t, RequestJson.connector(connector),
                member, RequestJson.read(body, ChannelRequests.Retire.class)));
    }

    private HttpResponse<JsonNode> at(HttpRequest<?> request, String tenant, byte[] body, Function<String, Object> local) {
        String t = RequestJson.tenant(tenant);
        return router.answer(request, t, body, () -> HttpResponse.ok(RequestJson.tree(local.apply(t))));
    }
}
