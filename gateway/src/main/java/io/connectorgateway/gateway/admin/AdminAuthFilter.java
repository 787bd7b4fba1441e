package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.gateway.limits.RateLimits;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import io.micronaut.web.router.UriRouteInfo;
import io.micronaut.web.router.UriRouteMatch;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Authentication and authorisation of every admin call, once, before any controller runs:
 * <ol>
 *   <li>a known bearer credential (401 otherwise);</li>
 *   <li>on {@code /admin/v1/tenants/{t}/**}: a valid tenant id (400), and a credential of that
 *       tenant or an operator's (403): whatever the route, whoever wrote it;</li>
 *   <li>the credential's role among the route's {@link AdminAccess} roles, operators always (403);
 *       a route without {@link AdminAccess} is for operators only;</li>
 *   <li>the tenant's admin rate limit ({@link RateLimits}: 429 with {@code Retry-After}), counted only
 *       for calls that passed the checks above, so nobody can use up another tenant's budget.</li>
 * </ol>
 * The filter sees every request (not only {@code /admin/**}) so that a path the router matches to
 * an admin route by some other spelling is still caught: an admin route is recognised by its
 * matched route template as well as by the path. Controllers only read the principal
 * ({@link RequestJson#principal}).
 */
@ServerFilter("/**")
public final class AdminAuthFilter {
    /** Every tenant route starts with this; the next path segment is the tenant. */
    public static final String TENANT_ROUTES = "/admin/v1/tenants/";

    private final AdminCredentials credentials;
    private final RateLimits limits;

    public AdminAuthFilter(AdminCredentials credentials, RateLimits limits) {
        this.credentials = credentials;
        this.limits = limits;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        RouteInfo<?> route = RouteAttributes.getRouteInfo(request).orElse(null);
        String template = route instanceof UriRouteInfo<?, ?> uri ? uri.getUriMatchTemplate().toString() : null;
        String rawPath = request.getUri().getRawPath();
        boolean admin = (template != null && template.startsWith("/admin"))
                || rawPath.toLowerCase(Locale.ROOT).startsWith("/admin");
        if (!admin) {
            return null;
        }
        try {
            AdminPrincipal principal = principal(request);
            String tenant = tenant(request, template, rawPath);
            if (tenant != null && !principal.mayActOn(tenant)) {
                throw ApiException.forbidden("credential '" + principal.id() + "' may act only on tenant " + principal.tenant());
            }
            Set<Actor.Role> allowed = allowedRoles(route);
            // no route: nothing to reach; the router answers 404 or 405 to the authenticated caller
            if (route != null && !principal.operator() && !allowed.contains(principal.role())) {
                throw ApiException.forbidden(describe(request, allowed) + "; credential '" + principal.id() + "' is "
                        + principal.role());
            }
            if (tenant != null) {
                long wait = limits.admin(tenant);
                if (wait > 0) {
                    throw ApiException.tooManyRequests("tenant " + tenant + " made more admin calls than its rate limit "
                            + "allows; retry in " + wait + " s", wait);
                }
            }
            request.setAttribute(AdminPrincipal.REQUEST_ATTRIBUTE, principal);
            return null;
        } catch (ApiException e) {
            return ApiExceptionHandler.response(e);
        }
    }

    private AdminPrincipal principal(HttpRequest<?> request) {
        List<String> all = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (all.size() > 1) {
            // proxies and frameworks disagree on which of several would count: refuse them all
            throw ApiException.unauthorized("exactly one Authorization header is allowed, got " + all.size());
        }
        String header = all.isEmpty() ? null : all.get(0);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("an Authorization: Bearer <token> header is required");
        }
        return credentials.authenticate(header.substring(7).trim())
                .orElseThrow(() -> ApiException.unauthorized("the bearer token is not a known credential"));
    }

    /**
     * The tenant a call acts on, or null when the path names none: the value the route's first
     * variable after {@value #TENANT_ROUTES} binds (what the controller receives, whatever the
     * variable is called), and the decoded path segment, which must agree.
     */
    @Nullable
    static String tenant(HttpRequest<?> request, @Nullable String template, String rawPath) {
        String fromPath = null;
        if (rawPath.regionMatches(true, 0, TENANT_ROUTES, 0, TENANT_ROUTES.length())) {
            String rest = rawPath.substring(TENANT_ROUTES.length());
            int slash = rest.indexOf('/');
            fromPath = decode(slash < 0 ? rest : rest.substring(0, slash));
        }
        String fromRoute = null;
        if (template != null && template.startsWith(TENANT_ROUTES + "{")) {
            String name = template.substring(TENANT_ROUTES.length() + 1).split("[}:?*]", 2)[0];
            Object value = RouteAttributes.getRouteMatch(request)
                    .filter(m -> m instanceof UriRouteMatch<?, ?>)
                    .map(m -> ((UriRouteMatch<?, ?>) m).getVariableValues().get(name)).orElse(null);
            fromRoute = value == null ? null : value.toString();
        }
        if (fromPath == null && fromRoute == null) {
            return null;
        }
        String tenant = fromRoute != null ? fromRoute : fromPath;
        if (!Ids.isValid(tenant) || (fromPath != null && !fromPath.equals(tenant))) {
            throw ApiException.badRequest("'" + abbreviate(tenant) + "' is not a valid tenant id");
        }
        return tenant;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the tenant in the path is not valid percent-encoding");
        }
    }

    /** The tenant-bound roles a route admits besides operators ({@link AdminAccess}; none when absent). */
    public static Set<Actor.Role> allowedRoles(@Nullable AnnotationMetadata route) {
        if (route == null || !route.hasAnnotation(AdminAccess.class)) {
            return EnumSet.noneOf(Actor.Role.class);
        }
        Actor.Role[] roles = route.enumValues(AdminAccess.class, Actor.Role.class);
        return roles.length == 0 ? EnumSet.noneOf(Actor.Role.class) : EnumSet.copyOf(Arrays.asList(roles));
    }

    private static Set<Actor.Role> allowedRoles(@Nullable RouteInfo<?> route) {
        return allowedRoles(route == null ? null : route.getAnnotationMetadata());
    }

    private static String describe(HttpRequest<?> request, Set<Actor.Role> allowed) {
        String who = allowed.isEmpty() ? "an operator credential"
                : allowed.stream().map(Enum::name).sorted().collect(Collectors.joining(", ")) + " or OPERATOR";
        return request.getMethodName() + " on this path needs " + who;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
