package io.connectorgateway.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.AdminPrincipal;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Audit search ({@code GET .../audit}) and live tail ({@code GET .../audit:tail}, long-poll).
 * Both take the same filters; see gateway/ADMIN.md. For auditors (and operators): a tenant admin
 * changes settings but does not read messages. A search answers conversation content, so each one
 * is audited first ({@link ContentReads}); the tail answers audit records only (digests, no content).
 */
@Controller("/admin/v1/tenants/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AuditController {
    private final AuditView view;
    private final AuditConfig config;
    private final TenantRouter router;
    private final ContentReads reads;

    public AuditController(AuditView view, AuditConfig config, TenantRouter router, ContentReads reads) {
        this.view = view;
        this.config = config;
        this.router = router;
        this.reads = reads;
    }

    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/audit")
    public HttpResponse<JsonNode> search(HttpRequest<?> request, @PathVariable String tenant,
                                         @Nullable @QueryValue String room, @Nullable @QueryValue String member,
                                         @Nullable @QueryValue String externalUser, @Nullable @QueryValue String kind,
                                         @Nullable @QueryValue String connector, @Nullable @QueryValue String from,
                                         @Nullable @QueryValue String to, @Nullable @QueryValue Integer limit,
                                         @Nullable @QueryValue String cursor) {
        AuditQuery q = query(request, tenant, room, member, externalUser, kind, connector, from, to);
        int n = limit == null ? config.defaultLimit() : limit;
        if (n < 1 || n > config.maxLimit()) {
            throw ApiException.badRequest("limit must be 1.." + config.maxLimit());
        }
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("room", room);
        filter.put("member", member);
        filter.put("externalUser", externalUser);
        filter.put("kind", kind);
        filter.put("connector", connector);
        filter.put("from", from);
        filter.put("to", to);
        filter.put("limit", Integer.toString(n));
        filter.put("cursor", cursor);
        return router.answer(request, q.tenant(), null,
                () -> search(RequestJson.principal(request), q, n, cursor, filter));
    }

    private HttpResponse<JsonNode> search(AdminPrincipal who, AuditQuery q, int n, String cursor,
                                          Map<String, String> filter) {
        AuditIndex.Page page;
        try {
            page = view.search(q, n, cursor, config.scanBudget());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode items = body.putArray("items");
        int withContent = 0;
        for (AuditIndex.Hit hit : page.hits()) {
            ObjectNode item = Json.mapper().valueToTree(hit.record());
            if (hit.history() != null) {
                ObjectNode message = item.putObject("message");
                message.put("unsent", hit.history().unsent());
                if (hit.history().text() != null) {
                    message.put("text", hit.history().text());
                }
                if (hit.history().text() != null || !hit.history().attachments().isEmpty()) {
                    withContent++;
                }
                message.set("attachments", Json.mapper().valueToTree(hit.history().attachments()));
                if (hit.history().decision() != null) {
                    message.put("decision", hit.history().decision().name());
                }
            }
            items.add(item);
        }
        if (page.cursor() != null) {
            body.put("nextCursor", page.cursor());
        }
        body.put("scanBudgetExhausted", page.budgetExhausted());
        // audited before anything is answered: a read whose record Kafka refuses is refused (503)
        reads.record(who, q.tenant(), "audit-search", filter, page.hits().size(), withContent);
        return HttpResponse.ok(body);
    }

    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/audit:tail")
    public HttpResponse<JsonNode> tail(HttpRequest<?> request, @PathVariable String tenant,
                                       @Nullable @QueryValue String room, @Nullable @QueryValue String member,
                                       @Nullable @QueryValue String externalUser, @Nullable @QueryValue String kind,
                                       @Nullable @QueryValue String connector, @Nullable @QueryValue String cursor,
                                       @Nullable @QueryValue Integer waitSeconds,
                                       @Nullable @QueryValue Integer limit) {
        AuditQuery q = query(request, tenant, room, member, externalUser, kind, connector, null, null);
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

    private AuditQuery query(HttpRequest<?> request, String tenant, String room, String member, String externalUser,
                             String kind, String connector, String from, String to) {
        String t = RequestJson.tenant(tenant);
        AuditKind k = null;
        if (kind != null) {
            try {
                k = AuditKind.valueOf(kind.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown kind '" + kind + "'");
            }
        }
        Connector c = connector == null ? null : RequestJson.connector(connector);
        return new AuditQuery(t, id("room", room), id("member", member), id("externalUser", externalUser), k, c,
                time("from", from), time("to", to));
    }

    private static String id(String name, String value) {
        if (value != null && !io.connectorgateway.contracts.Ids.isValid(value)) {
            throw ApiException.badRequest(name + " '" + value + "' is not a valid id");
        }
        return value;
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static Long time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be epoch milliseconds or an ISO-8601 instant, got '" + value + "'");
        }
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
