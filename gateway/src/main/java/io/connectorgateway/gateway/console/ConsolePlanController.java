package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.ImpactPreview;
import io.connectorgateway.gateway.admin.ImpactRequest;
import io.connectorgateway.gateway.admin.PlanChange;
import io.connectorgateway.gateway.admin.SettingsService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The operator's page: a tenant's plan, read from its settings rows ({@link SettingsService#read})
 * and changed with the operator API's call ({@link SettingsService#changePlan}). A plan below LITE
 * that would drop open rooms shows the admin API's impact preview of each connector first and is
 * saved when confirmed. Operators only ({@code @AdminAccess({})}, as {@code PUT /plan}).
 */
@Controller("/console/tenants/{tenant}/plan")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ConsolePlanController {
    private final ConsolePages pages;
    private final ConsoleRequests requests;
    private final SettingsService settings;
    private final ImpactPreview impact;

    public ConsolePlanController(ConsolePages pages, ConsoleRequests requests, SettingsService settings, ImpactPreview impact) {
        this.pages = pages;
        this.requests = requests;
        this.settings = settings;
        this.impact = impact;
    }

    /**
     * What the plan page shows.
     *
     * @param rows     the tenant's settings row of each connector (the plan is on both)
     * @param chosen   the plan selected in the form
     * @param impacts  on the confirmation step: each connector's rooms the new plan drops
     */
    public record PlanPage(Chrome c, String tenant, List<TenantSettings> rows, Plan chosen, String reason,
                           @Nullable String notice, String noticeKind, @Nullable String detail,
                           List<ImpactPreview.Impact> impacts) {
        public Plan current() {
            return rows.get(0).plan();
        }

        public List<Plan> plans() {
            return Arrays.asList(Plan.values());
        }

        public int roomsDropped() {
            return impacts.stream().mapToInt(ImpactPreview.Impact::roomsDropped).sum();
        }

        public String action() {
            return "/console/tenants/" + tenant + "/plan";
        }
    }

    @AdminAccess({})
    @Get
    public MutableHttpResponse<?> page(HttpRequest<?> request, @PathVariable String tenant, @Nullable @QueryValue String saved) {
        return requests.onOwner(request, tenant, null, () -> {
            List<TenantSettings> rows = rows(tenant);
            return view(request, HttpStatus.OK, new PlanPage(requests.chrome(request, tenant, "plan"), tenant, rows,
                    rows.get(0).plan(), "", saved != null ? "plan.saved" : null, "ok", null, List.of()));
        });
    }

    /** Change: {@code plan} and {@code reason}; a plan that drops rooms is confirmed first ({@code confirm=yes}). */
    @AdminAccess({})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<?> change(HttpRequest<?> request, @PathVariable String tenant, @Body Map<String, String> form) {
        MutableHttpResponse<?> refused = requests.csrf(request, form);
        if (refused != null) {
            return refused;
        }
        return requests.onOwner(request, tenant, form, () -> {
            Chrome chrome = requests.chrome(request, tenant, "plan");
            List<TenantSettings> rows = rows(tenant);
            String given = form.getOrDefault("plan", "");
            Plan plan = Arrays.stream(Plan.values()).filter(p -> p.name().equals(given)).findFirst().orElse(null);
            if (plan == null && !given.isEmpty()) {
                return pages.error(request, chrome, HttpStatus.BAD_REQUEST, "error.badForm", given);
            }
            String reason = form.getOrDefault("reason", "");
            if (plan != null && !"yes".equals(form.get("confirm"))) {
                List<ImpactPreview.Impact> impacts = Arrays.stream(Connector.values())
                        .map(c -> impact.preview(tenant, c, new ImpactRequest(null, null, plan, null))).toList();
                if (impacts.stream().anyMatch(i -> i.roomsDropped() > 0)) {
                    return view(request, HttpStatus.OK, new PlanPage(chrome, tenant, rows, plan, reason, null, "ok", null, impacts));
                }
            }
            try {
                settings.changePlan(ConsoleRequests.session(request).principal(), tenant, new PlanChange(plan, reason));
                return ConsolePages.seeOther("/console/tenants/" + tenant + "/plan?saved=" + (plan == null ? "" : plan.name()));
            } catch (ApiException e) {
                return view(request, HttpStatus.valueOf(e.status()), new PlanPage(chrome, tenant, rows,
                        plan == null ? rows.get(0).plan() : plan, reason, "plan.failed", "error", ConsoleRequests.explain(chrome, e),
                        List.of()));
            }
        });
    }

    private List<TenantSettings> rows(String tenant) {
        return Arrays.stream(Connector.values()).map(c -> settings.read(tenant, c)).toList();
    }

    private MutableHttpResponse<?> view(HttpRequest<?> request, HttpStatus status, PlanPage page) {
        return pages.page(request, status, "plan", Map.of("p", page));
    }
}
