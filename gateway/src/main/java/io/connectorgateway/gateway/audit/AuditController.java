package io.connectorgateway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.RequestJson;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audit search ({@code GET .../audit}) and live tail ({@code GET .../audit:tail}, long-poll).
 * Both take the same filters; see gateway/ADMIN.md. For auditors (and operators): a tenant admin
 * changes settings but does not read messages. A search answers conversation content, so each one
 * is audited first ({@link AuditSearch}, the service the console's audit pages call too); the tail
 * answers audit records only (digests, no content).
 */
@Controller("/admin/v1/tenants/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AuditController {
    private final AuditView view;
    private final AuditConfig config;
    private final TenantRouter router;
    private final AuditSearch search;

    public AuditController(AuditView view, AuditConfig config, TenantRouter router, AuditSearch search) {
        this.view = view;
        this.config = config;
        this.router = router;
        this.search = search;
    }

    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/audit")
    public HttpResponse<JsonNode> search(HttpRequest<?> request, @PathVariable String tenant,
                                         @Nullable @QueryValue String room, @Nullable @QueryValue String member,
                                         @Nullable @QueryValue String externalUser, @Nullable @QueryValue String kind,
                                         @Nullable @QueryValue String connector, @Nullable @QueryValue String from,
                                         @Nullable @QueryValue String to, @Nullable @QueryValue Integer limit,
                                         @Nullable @QueryValue String cursor) {
        AuditSearch.Filter filter = new AuditSearch.Filter(room, member, externalUser, kind, connector, from, to);
        AuditQuery q = search.query(tenant, filter);
        int n = search.limit(limit);
        return router.answer(request, q.tenant(), null, () -> {
            AuditSearch.Result result = search.search(RequestJson.principal(request), "audit-search", q, filter, n, cursor);
            ObjectNode body = Json.mapper().createObjectNode();
            ArrayNode items = body.putArray("items");
            result.page().hits().forEach(hit -> items.add(AuditSearch.json(hit)));
            if (result.page().cursor() != null) {
                body.put("nextCursor", result.page().cursor());
            }
            body.put("scanBudgetExhausted", result.page().budgetExhausted());
            return HttpResponse.ok(body);
        });
    }

    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/audit:tail")
    public HttpResponse<JsonNode> tail(HttpRequest<?> request, @PathVariable String tenant,
                                       @Nullable @QueryValue String room, @Nullable @QueryValue String member,
                                       @Nullable @QueryValue String externalUser, @Nullable @QueryValue String kind,
                                       @Nullable @QueryValue String connector, @Nullable @QueryValue String cursor,
                                       @Nullable @QueryValue Integer waitSeconds,
                                       @Nullable @QueryValue Integer limit) {
        AuditQuery q = search.query(tenant, new AuditSearch.Filter(room, member, externalUser, kind, connector, null, null));
        Duration wait = waitSeconds == null ? config.tailMaxWait()
                : Duration.ofSeconds(Math.max(0, Math.min(waitSeconds, config.tailMaxWait().toSeconds())));
        int n = limit == null ? config.maxLimit() : Math.max(1, Math.min(limit, config.maxLimit()));
        Map<Integer, Long> from = cursor == null ? null : decodeTail(cursor);
        return router.answer(request, q.tenant(), null, () -> {
            AuditView.TailPage page = view.tail(q, from, n, wait);
            ObjectNode body = Json.mapper().createObjectNode();
            body.set("items", Json.mapper().valueToTree(page.records()));
            body.put("cursor", encodeTail(page.cursor()));
            body.put("gap", page.gap());
            return HttpResponse.ok(body);
        });
    }

    static String encodeTail(Map<Integer, Long> cursor) {
        StringBuilder s = new StringBuilder("t");
        cursor.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(',').append(e.getKey()).append(':').append(e.getValue()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<Integer, Long> decodeTail(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith("t")) {
                throw new IllegalArgumentException();
            }
            Map<Integer, Long> out = new LinkedHashMap<>();
            for (String part : s.substring(1).split(",")) {
                if (part.isEmpty()) {
                    continue;
                }
                String[] po = part.split(":");
                out.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            }
            return out;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the tail cursor is not one this API returned");
        }
    }
}
