package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.settings.SettingsRules;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.ImpactPreview;
import io.connectorgateway.gateway.admin.SettingsPatch;
import io.connectorgateway.gateway.admin.SettingsService;
import io.connectorgateway.gateway.view.TenantRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console's pages. Thin like the admin API's controller: parse the form, hand it to the admin
 * API's services on the tenant's owner ({@link TenantRouter}) as the signed-in credential, render.
 * Who may open which route is declared with {@link AdminAccess} (or {@link ConsolePublic}) and
 * enforced by {@link ConsoleFilter}; every POST checks its form's CSRF token first ({@link #csrf}).
 */
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ConsoleController {
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;

    private final ConsoleSessions sessions;
    private final ConsolePages pages;
    private final AdminCredentials credentials;
    private final SettingsService settings;
    private final ImpactPreview impact;
    private final TenantRouter router;
    private final ConsoleForwarder forwarder;
    private final ConsoleConfig config;

    public ConsoleController(ConsoleSessions sessions, ConsolePages pages, AdminCredentials credentials,
                             SettingsService settings, ImpactPreview impact, TenantRouter router,
                             ConsoleForwarder forwarder, ConsoleConfig config) {
        this.sessions = sessions;
        this.pages = pages;
        this.credentials = credentials;
        this.settings = settings;
        this.impact = impact;
        this.router = router;
        this.forwarder = forwarder;
        this.config = config;
    }

    // ---- sign-in, sign-out, language -------------------------------------------------------

    @ConsolePublic
    @Get("/sign-in")
    public MutableHttpResponse<?> signInPage(HttpRequest<?> request) {
        String pre = sessions.newPreSession();
        return signInForm(request, HttpStatus.OK, pre, null)
                .cookie(ConsolePages.cookie(request, ConsoleSessions.PRE_COOKIE, pre, Duration.ofHours(1)));
    }

    @ConsolePublic
    @Post(value = "/sign-in", consumes = FORM)
    public MutableHttpResponse<?> signIn(HttpRequest<?> request, @Body Map<String, String> form) {
        String pre = request.getCookies().findCookie(ConsoleSessions.PRE_COOKIE).map(Cookie::getValue).orElse(null);
        if (pre == null || !ConsoleSessions.csrfMatches(sessions.signInCsrf(pre), form.get("csrf"))) {
            String fresh = sessions.newPreSession();
            return signInForm(request, HttpStatus.FORBIDDEN, fresh, "signIn.expired")
                    .cookie(ConsolePages.cookie(request, ConsoleSessions.PRE_COOKIE, fresh, Duration.ofHours(1)));
        }
        Optional<AdminPrincipal> who = credentials.authenticate(Optional.ofNullable(form.get("token")).orElse("").trim());
        if (who.isEmpty()) {
            return signInForm(request, HttpStatus.UNAUTHORIZED, pre, "signIn.wrong");
        }
        return ConsolePages.seeOther("/console")
                .cookie(ConsolePages.cookie(request, ConsoleSessions.COOKIE, sessions.issue(who.get()), config.sessionTtl()))
                .cookie(ConsolePages.cookie(request, ConsoleSessions.PRE_COOKIE, "", Duration.ZERO));
    }

    @AdminAccess({Actor.Role.TENANT_ADMIN, Actor.Role.AUDITOR})
    @Post(value = "/sign-out", consumes = FORM)
    public MutableHttpResponse<?> signOut(HttpRequest<?> request, @Body Map<String, String> form) {
        ConsoleSessions.Session session = session(request);
        MutableHttpResponse<?> refused = csrf(request, form);
        if (refused != null) {
            return refused;
        }
        sessions.signOut(session);
        return ConsolePages.seeOther("/console/sign-in")
                .cookie(ConsolePages.cookie(request, ConsoleSessions.COOKIE, "", Duration.ZERO));
    }

    /** Sets the language cookie and goes back to the console page the link was on. */
    @ConsolePublic
    @Get("/lang")
    public MutableHttpResponse<?> language(HttpRequest<?> request, @Nullable @QueryValue String to,
                                           @Nullable @QueryValue String back) {
        String lang = ConsoleText.LANGUAGES.contains(to) ? to : "en";
        String target = back != null && back.startsWith("/console") && !back.startsWith("//") && !back.contains("\\")
                && back.chars().noneMatch(ch -> ch < 0x21 || ch == 0x7f) ? back : "/console";
        return ConsolePages.seeOther(target)
                .cookie(ConsolePages.cookie(request, ConsoleText.COOKIE, lang, Duration.ofDays(365)).httpOnly(true));
    }

    /** Where a credential starts: its tenant's LINE settings, its audit page, or (operators) the tenant choice. */
    @AdminAccess({Actor.Role.TENANT_ADMIN, Actor.Role.AUDITOR})
    @Get
    public MutableHttpResponse<?> home(HttpRequest<?> request) {
        AdminPrincipal who = session(request).principal();
        return switch (who.role()) {
            case OPERATOR -> ConsolePages.seeOther("/console/tenants");
            case AUDITOR -> ConsolePages.seeOther("/console/tenants/" + who.tenant() + "/audit");
            default -> ConsolePages.seeOther("/console/tenants/" + who.tenant() + "/connectors/LINE");
        };
    }

    /** Operators: choose the tenant to act on. */
    @AdminAccess({})
    @Get("/tenants")
    public MutableHttpResponse<?> tenants(HttpRequest<?> request, @Nullable @QueryValue String tenant) {
        Chrome chrome = chrome(request, null, "");
        if (tenant != null && !tenant.isBlank()) {
            if (Ids.isValid(tenant.trim())) {
                return ConsolePages.seeOther("/console/tenants/" + tenant.trim() + "/connectors/LINE");
            }
            return pages.page(request, HttpStatus.BAD_REQUEST, "tenants", Map.of("c", chrome, "error", true));
        }
        return pages.page(request, HttpStatus.OK, "tenants", Map.of("c", chrome, "error", false));
    }

    // ---- connector settings ------------------------------------------------------------------

    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/tenants/{tenant}/connectors/{connector}")
    public MutableHttpResponse<?> settingsPage(HttpRequest<?> request, @PathVariable String tenant,
                                               @PathVariable String connector, @Nullable @QueryValue String saved) {
        return onOwner(request, tenant, connector, null, c -> {
            TenantSettings current = settings.read(tenant, c);
            String notice = saved != null ? "settings.saved" : null;
            return settingsView(request, HttpStatus.OK, new SettingsPage(chrome(request, tenant, c.name()), current,
                    SettingsForm.of(current), Map.of(), notice, "ok", null, null));
        });
    }

    /**
     * Save: the changed fields go to {@link SettingsService#patch} as they would through the API.
     * A change that drops rooms is shown with {@link ImpactPreview} first and is saved only when
     * the admin confirms it (the confirmation posts the same form with {@code confirm=yes}).
     */
    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post(value = "/tenants/{tenant}/connectors/{connector}", consumes = FORM)
    public MutableHttpResponse<?> save(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                       @Body Map<String, String> form) {
        MutableHttpResponse<?> refused = csrf(request, form);
        if (refused != null) {
            return refused;
        }
        return onOwner(request, tenant, connector, form, c -> {
            Chrome chrome = chrome(request, tenant, c.name());
            TenantSettings current = settings.read(tenant, c);
            SettingsForm posted;
            try {
                posted = SettingsForm.parse(form, current);
            } catch (SettingsForm.BadField e) {
                return pages.error(request, chrome, HttpStatus.BAD_REQUEST, "error.badForm", e.getMessage());
            }
            SettingsPatch patch = posted.patchAgainst(current);
            if (patch.empty()) {
                boolean stale = posted.expectedVersion() != current.version();
                return settingsView(request, stale ? HttpStatus.CONFLICT : HttpStatus.OK, new SettingsPage(chrome, current,
                        posted, Map.of(), stale ? "settings.conflict" : "settings.unchanged", stale ? "conflict" : "ok",
                        null, null));
            }
            if (!"yes".equals(form.get("confirm")) && (patch.enabled() != null || patch.permissionMode() != null)) {
                ImpactPreview.Impact preview = impact.preview(tenant, c, SettingsForm.impactOf(patch));
                if (preview.roomsDropped() > 0) {
                    return pages.page(request, HttpStatus.OK, "confirm", Map.of("p", new SettingsPage(chrome, current, posted,
                            Map.of(), null, "ok", null, preview)));
                }
            }
            try {
                TenantSettings after = settings.patch(session(request).principal(), tenant, c, patch, posted.expectedVersion());
                return ConsolePages.seeOther("/console/tenants/" + tenant + "/connectors/" + c.name() + "?saved=" + after.version());
            } catch (ApiException e) {
                return refusal(request, chrome, current, posted, e);
            }
        });
    }

    /** Auditors' pages come in a later slice; the page says so. */
    @AdminAccess(Actor.Role.AUDITOR)
    @Get("/tenants/{tenant}/audit")
    public MutableHttpResponse<?> audit(HttpRequest<?> request, @PathVariable String tenant) {
        return pages.page(request, HttpStatus.OK, "audit", Map.of("c", chrome(request, tenant, "audit")));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The page for a refused save: rule violations next to their fields, a conflict with a reload link, or the message. */
    private MutableHttpResponse<?> refusal(HttpRequest<?> request, Chrome chrome, TenantSettings current, SettingsForm posted,
                                           ApiException e) {
        if (e.status() == 422) {
            Map<String, String> errors = new LinkedHashMap<>();
            StringBuilder unplaced = new StringBuilder();
            for (SettingsRules.Violation v : e.violations()) {
                String field = FIELDS.get(v.field());
                String text = chrome.f("rule.named", v.rule(), chrome.t("rule." + v.rule())) + " " + v.message();
                if (field == null) {
                    unplaced.append(unplaced.isEmpty() ? "" : " ").append(text);
                } else {
                    errors.merge(field, text, (a, b) -> a + " " + b);
                }
            }
            return settingsView(request, HttpStatus.UNPROCESSABLE_ENTITY, new SettingsPage(chrome, current, posted, errors,
                    "settings.invalid", "error", unplaced.isEmpty() ? null : unplaced.toString(), null));
        }
        if (e.status() == 409) {
            return settingsView(request, HttpStatus.CONFLICT, new SettingsPage(chrome, current, posted, Map.of(),
                    "settings.conflict", "conflict", null, null));
        }
        return settingsView(request, HttpStatus.valueOf(e.status()), new SettingsPage(chrome, current, posted, Map.of(),
                "settings.failed", "error", e.getMessage(), null));
    }

    /** Admin API field names (SettingsRules, SettingsService) → the form's fields. */
    private static final Map<String, String> FIELDS = Map.of(
            "enabled", "enabled", "permissionMode", "permissionMode", "autoGrantNewMembers", "autoGrantNewMembers",
            "greeting.enabled", "greetingEnabled", "greeting.text", "greetingText", "greeting.salesInfo", "salesInfo",
            "attachments.enabled", "attachmentsEnabled", "attachments.kinds", "kinds", "attachments.action", "attachmentAction",
            "reason", "reason");

    private MutableHttpResponse<?> settingsView(HttpRequest<?> request, HttpStatus status, SettingsPage page) {
        return pages.page(request, status, "settings", Map.of("p", page));
    }

    /**
     * Runs {@code local} on the instance that owns {@code tenant} (here, or the whole console request
     * is forwarded there); the admin API's refusals become the error page with their status.
     */
    private MutableHttpResponse<?> onOwner(HttpRequest<?> request, String tenant, String connector, Map<String, String> form,
                                           java.util.function.Function<Connector, MutableHttpResponse<?>> local) {
        Chrome chrome = chrome(request, tenant, "");
        Connector c;
        try {
            c = Connector.valueOf(connector);
        } catch (IllegalArgumentException e) {
            return pages.error(request, chrome, HttpStatus.NOT_FOUND, "error.connector", connector);
        }
        try {
            Supplier<MutableHttpResponse<?>> here = () -> local.apply(c);
            return router.route(request, tenant, owner -> forwarder.forward(request, owner, form), here);
        } catch (ApiException e) {
            return pages.error(request, chrome, HttpStatus.valueOf(e.status()), "error.api", e.getMessage());
        }
    }

    /** The CSRF check of every POST: the form's token must be the session's (constant-time). */
    @Nullable
    private MutableHttpResponse<?> csrf(HttpRequest<?> request, Map<String, String> form) {
        ConsoleSessions.Session session = session(request);
        if (!ConsoleSessions.csrfMatches(session.csrf(), form.get("csrf"))) {
            return pages.error(request, chrome(request, null, ""), HttpStatus.FORBIDDEN, "error.csrf", null);
        }
        return null;
    }

    static ConsoleSessions.Session session(HttpRequest<?> request) {
        return request.getAttribute(ConsoleFilter.SESSION, ConsoleSessions.Session.class)
                .orElseThrow(() -> new IllegalStateException("console route reached without ConsoleFilter"));
    }

    static Chrome chrome(HttpRequest<?> request, @Nullable String tenant, String section) {
        ConsoleText text = ConsoleText.of(request);
        ConsoleSessions.Session s = session(request);
        return new Chrome(text, ConsolePages.switchUrl(text, request.getPath()), s.principal(), s.csrf(),
                tenant != null ? tenant : s.principal().operator() ? null : s.principal().tenant(), section);
    }

    private MutableHttpResponse<?> signInForm(HttpRequest<?> request, HttpStatus status, String pre, @Nullable String error) {
        ConsoleText text = ConsoleText.of(request);
        Map<String, Object> model = new HashMap<>();
        model.put("c", new Chrome(text, ConsolePages.switchUrl(text, "/console/sign-in"), null, sessions.signInCsrf(pre),
                null, ""));
        model.put("error", error == null ? "" : error);
        return pages.page(request, status, "sign-in", model);
    }
}
