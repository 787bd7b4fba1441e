package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.audit.AuditQuery;
import io.connectorgateway.gateway.audit.AuditSearch;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Admin Audit in the console: the search (filters, newest first, a page at a time), one room's
 * conversation, and the export of a search. Every page reads the trail through {@link AuditSearch},
 * the admin API's search service, on the tenant's owner, as the signed-in credential: the same
 * filter checks, the same index, and every read of content audited by the service as the API's
 * reads are ({@code CONTENT_READ}, surfaces {@code console-search}, {@code console-conversation},
 * {@code console-export:csv|jsonl}). The routes admit auditors (and operators), like the API's:
 * a tenant admin changes settings but does not read messages ({@link ConsoleFilter} enforces it).
 */
@Controller("/console/tenants/{tenant}/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ConsoleAuditController {
    /** Messages on one page of a conversation. */
    static final int CONVERSATION_PAGE = 100;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ConsolePages pages;
    private final AuditSearch search;
    private final TenantRouter router;
    private final ConsoleForwarder forwarder;

    public ConsoleAuditController(ConsolePages pages, AuditSearch search, TenantRouter router, ConsoleForwarder forwarder) {
        this.pages = pages;
        this.search = search;
        this.router = router;
        this.forwarder = forwarder;
    }

    /** The search: the form, and the results of the filter it carries (all of the tenant's trail when empty). */
    @AdminAccess(Actor.Role.AUDITOR)
    @Get
    public MutableHttpResponse<?> audit(HttpRequest<?> request, @PathVariable String tenant, @Nullable @QueryValue String cursor) {
        Chrome chrome = ConsoleController.chrome(request, tenant, "audit");
        Map<String, String> form = AuditPage.entered(parameters(request));
        return onOwner(request, tenant, () -> {
            AuditSearch.Filter filter = AuditPage.filter(form);
            AuditSearch.Result result;
            try {
                AuditQuery q = search.query(tenant, filter);
                result = search.search(principal(request), "console-search", q, filter, search.limit(null), blank(cursor));
            } catch (ApiException e) {
                if (e.status() != 400) {
                    throw e;
                }
                return pages.page(request, HttpStatus.BAD_REQUEST, "audit", Map.of("p",
                        new AuditPage(chrome, form, java.util.List.of(), null, e.getMessage(), false, cursor == null)));
            }
            String next = result.page().cursor() == null ? null
                    : "/console/tenants/" + tenant + "/audit?" + AuditPage.query(form, "cursor", result.page().cursor());
            return pages.page(request, HttpStatus.OK, "audit", Map.of("p", new AuditPage(chrome, form,
                    result.page().hits().stream().map(AuditPage::row).toList(), next, null,
                    result.page().budgetExhausted(), blank(cursor) == null)));
        });
    }

    /** One room's conversation, in chat form; deleted rooms too (the trail and the history outlive the room). */
    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/rooms/{room}")
    public MutableHttpResponse<?> conversation(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String room,
                                               @Nullable @QueryValue String cursor) {
        Chrome chrome = ConsoleController.chrome(request, tenant, "audit");
        if (!Ids.isValid(room)) {
            return pages.error(request, chrome, HttpStatus.BAD_REQUEST, "audit.badRoom", null);
        }
        return onOwner(request, tenant, () -> {
            AuditSearch.Filter filter = AuditSearch.Filter.NONE.withRoom(room);
            AuditSearch.Result result = search.search(principal(request), "console-conversation", search.query(tenant, filter),
                    filter, CONVERSATION_PAGE, blank(cursor));
            String earlier = result.page().cursor() == null ? null
                    : "/console/tenants/" + tenant + "/audit/rooms/" + room + "?" + AuditPage.query(Map.of(), "cursor",
                    result.page().cursor());
            return pages.page(request, HttpStatus.OK, "conversation", Map.of("p",
                    ConversationPage.of(chrome, room, result.page().hits(), earlier)));
        });
    }

    /** The search of the form's filter as a download, every page of it, streamed ({@link AuditExport}). */
    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/export")
    public MutableHttpResponse<?> export(HttpRequest<?> request, @PathVariable String tenant, @Nullable @QueryValue String format) {
        Chrome chrome = ConsoleController.chrome(request, tenant, "audit");
        AuditExport.Format f = AuditExport.Format.of(format);
        if (f == null) {
            return pages.error(request, chrome, HttpStatus.BAD_REQUEST, "audit.badFormat", format);
        }
        Map<String, String> form = AuditPage.entered(parameters(request));
        return onOwner(request, tenant, owner -> forwarder.stream(request, owner), () -> {
            AuditSearch.Filter filter = AuditPage.filter(form);
            AuditExport body = new AuditExport(search, principal(request), search.query(tenant, filter), filter, f);
            String name = "audit-" + tenant + "-" + STAMP.format(java.time.Instant.now()) + "." + f.extension;
            return ConsolePages.secure(HttpResponse.ok(body)
                    .header(HttpHeaders.CONTENT_TYPE, f.contentType)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\""));
        });
    }

    /**
     * Runs {@code local} on the instance that owns {@code tenant} (or forwards the whole console
     * request there, an export relayed as it streams); a refusal of the service (400, 503) becomes the error page with its status.
     */
    private MutableHttpResponse<?> onOwner(HttpRequest<?> request, String tenant, Supplier<MutableHttpResponse<?>> local) {
        return onOwner(request, tenant, owner -> forwarder.forward(request, owner, null), local);
    }

    private MutableHttpResponse<?> onOwner(HttpRequest<?> request, String tenant,
                                           java.util.function.Function<java.net.URI, MutableHttpResponse<?>> remote,
                                           Supplier<MutableHttpResponse<?>> local) {
        try {
            return router.route(request, tenant, remote, local);
        } catch (ApiException e) {
            return pages.error(request, ConsoleController.chrome(request, tenant, "audit"), HttpStatus.valueOf(e.status()),
                    "error.api", e.getMessage());
        }
    }

    private static AdminPrincipal principal(HttpRequest<?> request) {
        return ConsoleController.session(request).principal();
    }

    private static Map<String, String> parameters(HttpRequest<?> request) {
        Map<String, String> out = new HashMap<>();
        for (String name : AuditPage.FIELDS) {
            request.getParameters().getFirst(name).ifPresent(v -> out.put(name, v));
        }
        return out;
    }

    @Nullable
    private static String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
