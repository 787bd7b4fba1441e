package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every console controller does around the admin API's services: the session
 * {@link ConsoleFilter} admitted, the CSRF check of a POST, the page's {@link Chrome}, and running
 * the work on the instance that owns the tenant ({@link TenantRouter}, else the whole request is
 * forwarded there by {@link ConsoleForwarder}), the API's refusals turned into the error page.
 */
@Singleton
public final class ConsoleRequests {
    private final ConsolePages pages;
    private final TenantRouter router;
    private final ConsoleForwarder forwarder;

    public ConsoleRequests(ConsolePages pages, TenantRouter router, ConsoleForwarder forwarder) {
        this.pages = pages;
        this.router = router;
        this.forwarder = forwarder;
    }

    /** The session {@link ConsoleFilter} verified for this request. */
    public static ConsoleSessions.Session session(HttpRequest<?> request) {
        return ConsoleController.session(request);
    }

    /** The CSRF check of every POST: null when the form's token is the session's (constant-time), else the 403 page. */
    @Nullable
    public MutableHttpResponse<?> csrf(HttpRequest<?> request, Map<String, String> form) {
        if (!ConsoleSessions.csrfMatches(session(request).csrf(), form.get("csrf"))) {
            return pages.error(request, chrome(request, null, ""), HttpStatus.FORBIDDEN, "error.csrf", null);
        }
        return null;
    }

    /** The chrome of a page of {@code tenant} (null: the credential's own, none for operators), nav entry {@code section}. */
    public Chrome chrome(HttpRequest<?> request, @Nullable String tenant, String section) {
        return ConsoleController.chrome(request, tenant, section);
    }

    /** {@link #onOwner(HttpRequest, String, Map, Supplier)} for a page of one connector (404 for another name). */
    public MutableHttpResponse<?> onOwner(HttpRequest<?> request, String tenant, String connector, @Nullable Map<String, String> form,
                                          Function<Connector, MutableHttpResponse<?>> local) {
        Connector c;
        try {
            c = Connector.valueOf(connector);
        } catch (IllegalArgumentException e) {
            return pages.error(request, chrome(request, tenant, ""), HttpStatus.NOT_FOUND, "error.connector", connector);
        }
        return onOwner(request, tenant, form, () -> local.apply(c));
    }

    /**
     * Runs {@code local} on the instance that owns {@code tenant} (here, or the whole console request,
     * with {@code form}, is forwarded there); the admin API's refusals become the error page with their status.
     */
    public MutableHttpResponse<?> onOwner(HttpRequest<?> request, String tenant, @Nullable Map<String, String> form,
                                          Supplier<MutableHttpResponse<?>> local) {
        try {
            return router.route(request, tenant, owner -> forwarder.forward(request, owner, form), local);
        } catch (ApiException e) {
            return pages.error(request, chrome(request, tenant, ""), HttpStatus.valueOf(e.status()), "error.api", e.getMessage());
        }
    }

    /** The admin API's refusal in the page's language: each broken rule named, then its message; else the message. */
    public static String explain(Chrome chrome, ApiException e) {
        if (e.violations() == null || e.violations().isEmpty()) {
            return e.getMessage();
        }
        return e.violations().stream().map(v -> chrome.f("rule.named", v.rule(), chrome.t("rule." + v.rule())) + " "
                + v.message()).collect(java.util.stream.Collectors.joining(" "));
    }
}
