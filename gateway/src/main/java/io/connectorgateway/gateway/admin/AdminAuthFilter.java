package io.connectorgateway.gateway.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.List;

/**
 * Every {@code /admin/**} call needs a bearer credential (401 otherwise). Authentication happens
 * here, once, before any controller runs; which tenant the credential may touch is decided by the
 * controllers ({@link AdminPrincipal#requireTenant}), which know the path.
 */
@ServerFilter("/admin/**")
public final class AdminAuthFilter {
    private final AdminCredentials credentials;

    public AdminAuthFilter(AdminCredentials credentials) {
        this.credentials = credentials;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        List<String> all = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (all.size() > 1) {
            // proxies and frameworks disagree on which of several would count: refuse them all
            return refuse("exactly one Authorization header is allowed, got " + all.size());
        }
        String header = all.isEmpty() ? null : all.get(0);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse("an Authorization: Bearer <token> header is required");
        }
        var principal = credentials.authenticate(header.substring(7).trim());
        if (principal.isEmpty()) {
            return refuse("the bearer token is not a known credential");
        }
        request.setAttribute(AdminPrincipal.REQUEST_ATTRIBUTE, principal.get());
        return null;
    }

    private static HttpResponse<?> refuse(String message) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"connector-admin\"")
                .body(ApiExceptionHandler.body(ApiException.unauthorized(message)));
    }
}
