package io.connectorgateway.gateway.console;

import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.views.jte.HtmlJteViewsRenderer;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders console pages (JTE templates under {@code src/main/jte/console}, through Micronaut Views'
 * JTE renderer) into responses with the console's security headers, and makes its cookies.
 */
@Singleton
public final class ConsolePages {
    /** No script, style or frame from anywhere else; no framing at all. */
    public static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
            + "object-src 'none'";

    private final HtmlJteViewsRenderer<Map<String, Object>> renderer;

    public ConsolePages(HtmlJteViewsRenderer<Map<String, Object>> renderer) {
        this.renderer = renderer;
    }

    /** The page {@code template} (under console/) with {@code model} as its parameters. */
    public MutableHttpResponse<Writable> page(HttpRequest<?> request, HttpStatus status, String template,
                                              Map<String, Object> model) {
        Writable body = renderer.render("console/" + template, new HashMap<>(model), request);
        return secure(HttpResponse.<Writable>status(status).contentType(MediaType.TEXT_HTML + ";charset=utf-8").body(body));
    }

    /** The error page: {@code messageKey} in the page's language, and a detail when there is one. */
    public MutableHttpResponse<Writable> error(HttpRequest<?> request, Chrome chrome, HttpStatus status, String messageKey,
                                               String detail) {
        Map<String, Object> model = new HashMap<>();
        model.put("c", chrome);
        model.put("status", status.getCode());
        model.put("messageKey", messageKey);
        model.put("detail", detail == null ? "" : detail);
        return page(request, status, "error", model);
    }

    /** 303 to a console path (after a form post, and to sign in). */
    public static <T> MutableHttpResponse<T> seeOther(String path) {
        return secure(HttpResponse.<T>status(HttpStatus.SEE_OTHER).headers(h -> h.location(URI.create(path))));
    }

    /** The headers every console answer carries. */
    public static <T> MutableHttpResponse<T> secure(MutableHttpResponse<T> response) {
        response.getHeaders().set("Content-Security-Policy", CSP);
        response.getHeaders().set("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts, which the
        // Origin check (and Micronaut's drive-by-localhost guard) must refuse
        response.getHeaders().set("Referrer-Policy", "same-origin");
        response.getHeaders().set("X-Frame-Options", "DENY");
        response.getHeaders().set("Cross-Origin-Opener-Policy", "same-origin");
        response.getHeaders().set("Cache-Control", "no-store");
        return response;
    }

    /**
     * A console cookie: HttpOnly, SameSite=Strict, path /console, Secure when the request came over
     * HTTPS (directly, or to a proxy that says so with X-Forwarded-Proto).
     */
    public static Cookie cookie(HttpRequest<?> request, String name, String value, Duration maxAge) {
        return Cookie.of(name, value).path("/console").httpOnly(true).sameSite(SameSite.Strict)
                .secure(https(request)).maxAge(maxAge);
    }

    public static boolean https(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }

    /** The language switch link for a page at {@code path} (a console path only: no open redirect). */
    public static String switchUrl(ConsoleText text, String path) {
        return "/console/lang?to=" + text.other() + "&back=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
}
