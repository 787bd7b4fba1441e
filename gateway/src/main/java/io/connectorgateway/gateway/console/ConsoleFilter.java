package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.gateway.admin.AdminAuthFilter;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import io.micronaut.web.router.UriRouteMatch;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Who may open which console page, decided once for every console route before it runs, with the
 * admin API's own rules ({@link AdminAuthFilter#allowedRoles}, {@link AdminPrincipal#mayActOn}):
 * <ol>
 *   <li>a route marked {@link ConsolePublic} needs nothing; every other needs a valid session
 *       ({@link ConsoleSessions}): without one, a GET is sent to sign in (303), anything else gets 401;</li>
 *   <li>a route with a {@code {tenant}} variable: a valid tenant id (400) of the credential's own
 *       tenant, or any for an operator (403);</li>
 *   <li>the credential's role among the route's {@code @AdminAccess} roles, operators always; a
 *       route without {@code @AdminAccess} is for operators only (403);</li>
 *   <li>a POST whose Origin (when the browser sends one) is another site is refused (403); the
 *       form's CSRF token is checked by {@link ConsoleController} (every POST route, proved by
 *       {@code ConsoleAuthorizationBrokerTest}).</li>
 * </ol>
 * Every console answer carries the security headers ({@link ConsolePages#secure}).
 */
@ServerFilter({"/console", "/console/**"})
public final class ConsoleFilter {
    /** The request attribute holding the {@link ConsoleSessions.Session} after this filter. */
    public static final String SESSION = "connector.console.session";

    private final ConsoleSessions sessions;
    private final ConsolePages pages;

    public ConsoleFilter(ConsoleSessions sessions, ConsolePages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authorise(HttpRequest<?> request) {
        RouteInfo<?> route = RouteAttributes.getRouteInfo(request).orElse(null);
        if (route == null || route.getAnnotationMetadata().hasAnnotation(ConsolePublic.class)) {
            return null; // static assets, 404s, sign-in
        }
        ConsoleText text = ConsoleText.of(request);
        String path = request.getPath();
        ConsoleSessions.Session session = request.getCookies().findCookie(ConsoleSessions.COOKIE)
                .map(Cookie::getValue).flatMap(sessions::verify).orElse(null);
        if (session == null) {
            if (request.getMethod() == HttpMethod.GET) {
                return ConsolePages.seeOther("/console/sign-in")
                        .cookie(ConsolePages.cookie(request, ConsoleSessions.COOKIE, "", Duration.ZERO));
            }
            return pages.error(request, new Chrome(text, ConsolePages.switchUrl(text, "/console/sign-in"), null, null, null, ""),
                    HttpStatus.UNAUTHORIZED, "error.signedOut", null);
        }
        AdminPrincipal who = session.principal();
        Chrome chrome = new Chrome(text, ConsolePages.switchUrl(text, path), who, session.csrf(),
                who.operator() ? null : who.tenant(), "");
        String tenant = route(request);
        if (tenant != null && !Ids.isValid(tenant)) {
            return pages.error(request, chrome, HttpStatus.BAD_REQUEST, "error.badTenant", null);
        }
        if (tenant != null && !who.mayActOn(tenant)) {
            return pages.error(request, chrome, HttpStatus.FORBIDDEN, "error.otherTenant", tenant);
        }
        Set<Actor.Role> allowed = AdminAuthFilter.allowedRoles(route.getAnnotationMetadata());
        if (!who.operator() && !allowed.contains(who.role())) {
            return pages.error(request, chrome, HttpStatus.FORBIDDEN, "error.role", who.role().name());
        }
        if (request.getMethod() != HttpMethod.GET && crossSite(request)) {
            return pages.error(request, chrome, HttpStatus.FORBIDDEN, "error.csrf", null);
        }
        request.setAttribute(SESSION, session);
        return null;
    }

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        ConsolePages.secure(response);
    }

    /** The value of the route's {@code tenant} variable, or null when the route has none. */
    @Nullable
    private static String route(HttpRequest<?> request) {
        return RouteAttributes.getRouteMatch(request)
                .filter(m -> m instanceof UriRouteMatch<?, ?>)
                .map(m -> ((UriRouteMatch<?, ?>) m).getVariableValues().get("tenant"))
                .map(Object::toString).orElse(null);
    }

    /** An Origin header naming another host than the one the request was sent to. */
    private static boolean crossSite(HttpRequest<?> request) {
        String origin = request.getHeaders().get("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeaders().get("Host");
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            return authority == null || host == null || !authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
