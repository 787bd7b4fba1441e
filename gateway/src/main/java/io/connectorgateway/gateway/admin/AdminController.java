package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings producer's HTTP API (see gateway/ADMIN.md). Thin: parse, hand to a service, answer;
 * on the instance that owns the tenant ({@link TenantRouter}). Who may call what is declared by
 * {@link AdminAccess} on each route and enforced by {@link AdminAuthFilter}. Blocking executor:
 * writes wait for Kafka acks and for the view, forwarded calls for the owner.
 */
@Controller("/admin/v1/tenants/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public final class AdminController {
    private final SettingsService settings;
    private final MembersService members;
    private final ImpactPreview impact;
    private final TenantRouter router;

    public AdminController(SettingsService settings, MembersService members, ImpactPreview impact, TenantRouter router) {
        this.settings = settings;
        this.members = members;
        this.impact = impact;
        this.router = router;
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/connectors/{connector}/settings")
    public HttpResponse<JsonNode> getSettings(HttpRequest<?> request, @PathVariable String tenant,
                                              @PathVariable String connector) {
        return at(request, tenant, null, t -> withVersion(settings.read(t, RequestJson.connector(connector))));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Patch("/connectors/{connector}/settings")
    public HttpResponse<JsonNode> patchSettings(HttpRequest<?> request, @PathVariable String tenant,
                                                @PathVariable String connector, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> {
            SettingsPatch patch = RequestJson.read(body, SettingsPatch.class);
            Long fromHeader = RequestJson.ifMatch(request.getHeaders().getAll(HttpHeaders.IF_MATCH));
            if (fromHeader != null && patch.expectedVersion() != null && !fromHeader.equals(patch.expectedVersion())) {
                throw ApiException.badRequest("If-Match and expectedVersion disagree");
            }
            Long expected = fromHeader != null ? fromHeader : patch.expectedVersion();
            return withVersion(settings.patch(RequestJson.principal(request), t, RequestJson.connector(connector), patch, expected));
        });
    }

    @AdminAccess({})
    @Put("/plan")
    public HttpResponse<JsonNode> changePlan(HttpRequest<?> request, @PathVariable String tenant, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> {
            List<TenantSettings> rows = settings.changePlan(RequestJson.principal(request), t,
                    RequestJson.read(body, PlanChange.class));
            return HttpResponse.ok(RequestJson.tree(Map.of("tenant", t, "plan", rows.get(0).plan(), "settings", rows)));
        });
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/connectors/{connector}/members")
    public HttpResponse<JsonNode> listMembers(HttpRequest<?> request, @PathVariable String tenant,
                                              @PathVariable String connector,
                                              @Nullable @QueryValue String all) {
        return at(request, tenant, null, t -> {
            Connector c = RequestJson.connector(connector);
            boolean includeRemoved = RequestJson.flag("all", all);
            return HttpResponse.ok(RequestJson.tree(Map.of("tenant", t, "connector", c, "members", members.list(t, c, includeRemoved))));
        });
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post("/connectors/{connector}/members")
    public HttpResponse<JsonNode> changeMembers(HttpRequest<?> request, @PathVariable String tenant,
                                                @PathVariable String connector, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> HttpResponse.ok(RequestJson.tree(members.change(RequestJson.principal(request), t,
                RequestJson.connector(connector), RequestJson.read(body, MembersChange.class)))));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post("/connectors/{connector}/members:reset-urls")
    public HttpResponse<JsonNode> resetUrls(HttpRequest<?> request, @PathVariable String tenant,
                                            @PathVariable String connector, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> HttpResponse.ok(RequestJson.tree(members.resetUrls(RequestJson.principal(request), t,
                RequestJson.connector(connector), RequestJson.read(body, UrlReset.class)))));
    }

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post("/connectors/{connector}/impact")
    public HttpResponse<JsonNode> previewImpact(HttpRequest<?> request, @PathVariable String tenant,
                                                @PathVariable String connector, @Nullable @Body byte[] body) {
        return at(request, tenant, body, t -> HttpResponse.ok(RequestJson.tree(impact.preview(t, RequestJson.connector(connector),
                RequestJson.read(body, ImpactRequest.class)))));
    }

    /**
     * Answers the call for {@code tenant} (already authorised by {@link AdminAuthFilter}) here when this instance owns the
     * tenant's partition, else relays the owner's answer (ADMIN.md, "Several instances").
     */
    private HttpResponse<JsonNode> at(HttpRequest<?> request, String tenant, byte[] body,
                                      Function<String, HttpResponse<JsonNode>> local) {
        String t = RequestJson.tenant(tenant);
        return router.answer(request, t, body, () -> local.apply(t));
    }

    private static HttpResponse<JsonNode> withVersion(TenantSettings s) {
        return HttpResponse.ok(RequestJson.tree(s)).header(HttpHeaders.ETAG, "\"" + s.version() + "\"");
    }
}
