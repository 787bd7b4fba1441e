package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.gateway.admin.AdminAccess;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.ChannelView;
import io.connectorgateway.gateway.admin.ChannelsService;
import io.connectorgateway.gateway.admin.ControlView;
import io.connectorgateway.gateway.admin.ImpactPreview;
import io.connectorgateway.gateway.admin.ImpactRequest;
import io.connectorgateway.gateway.admin.MemberView;
import io.connectorgateway.gateway.admin.MembersChange;
import io.connectorgateway.gateway.admin.MembersService;
import io.connectorgateway.gateway.admin.SettingsService;
import io.connectorgateway.gateway.admin.UrlReset;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * "Manage External Message Users" (the guides' page, LINE and NAVER WORKS tabs): the connected
 * members with their linkage status, Add (from the tenant's members), Delete, Reset URL for one,
 * the selected or all members. Every action is the admin API's member call on the same service
 * ({@link MembersService#change}, {@link MembersService#resetUrls}) as the signed-in credential;
 * deleting and resetting every URL are shown first (the rooms a delete drops from
 * {@link ImpactPreview}) and done when confirmed. Plain forms; the list is paged on the server.
 */
@Controller("/console/tenants/{tenant}/members")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ConsoleMembersController {
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;
    /** Notices after a done action (?done=), each with the count of members (?n=) and of unchanged ones (?u=). */
    private static final Set<String> DONE = Set.of("added", "deleted", "reset", "reset-all");
    private static final String SELECTED = "m.";
    /** Up to how many changed members the notice after an action names. */
    private static final int NAMED = 10;

    private final ConsolePages pages;
    private final ConsoleRequests requests;
    private final MembersService members;
    private final ChannelsService channels;
    private final SettingsService settings;
    private final ImpactPreview impact;
    private final ControlView view;

    public ConsoleMembersController(ConsolePages pages, ConsoleRequests requests, MembersService members,
                                    ChannelsService channels, SettingsService settings, ImpactPreview impact, ControlView view) {
        this.pages = pages;
        this.requests = requests;
        this.members = members;
        this.channels = channels;
        this.settings = settings;
        this.impact = impact;
        this.view = view;
    }

    /** The list: one page of the connector's members, filtered by {@code q}. */
    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/{connector}")
    public MutableHttpResponse<?> list(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                       @Nullable @QueryValue Integer page, @Nullable @QueryValue String q,
                                       @Nullable @QueryValue String select, @Nullable @QueryValue String done,
                                       @Nullable @QueryValue Integer n, @Nullable @QueryValue Integer u,
                                       @Nullable @QueryValue String m) {
        return requests.onOwner(request, tenant, connector, null, c -> {
            Chrome chrome = requests.chrome(request, tenant, "members");
            boolean shown = done != null && DONE.contains(done);
            List<String> who = m == null ? List.of() : java.util.Arrays.stream(m.split(",")).filter(Ids::isValid).toList();
            String detail = !shown ? null : (n == null ? "" : chrome.f("members.count", n))
                    + (who.isEmpty() ? "" : " " + chrome.f("members.who", String.join(", ", who)))
                    + (u == null || u == 0 ? "" : " " + chrome.f("members.unchanged", u));
            return listView(request, HttpStatus.OK, tenant, c, page, q, "page".equals(select), Set.of(),
                    shown ? "members.done." + done : null, "ok", detail, "");
        });
    }

    /** "Add": the tenant's members who are not on the list yet (the same rule as the add call, R3), to choose from. */
    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Get("/{connector}/add")
    public MutableHttpResponse<?> addPage(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                          @Nullable @QueryValue Integer page, @Nullable @QueryValue String q,
                                          @Nullable @QueryValue String select) {
        return requests.onOwner(request, tenant, connector, null, c -> addView(request, HttpStatus.OK, tenant, c, page, q,
                "page".equals(select), Set.of(), null, null, ""));
    }

    /**
     * The list's and the add page's actions: {@code action} add, delete, reset (the selected
     * {@code m.<member>} boxes) or reset-all; {@code one=<member>} resets that member's URL. Delete
     * and reset-all show their confirmation first and are done with {@code confirm=yes}.
     */
    @AdminAccess(Actor.Role.TENANT_ADMIN)
    @Post(value = "/{connector}", consumes = FORM)
    public MutableHttpResponse<?> act(HttpRequest<?> request, @PathVariable String tenant, @PathVariable String connector,
                                      @Body Map<String, String> form) {
        MutableHttpResponse<?> refused = requests.csrf(request, form);
        if (refused != null) {
            return refused;
        }
        return requests.onOwner(request, tenant, connector, form, c -> {
            AdminPrincipal who = ConsoleRequests.session(request).principal();
            String reason = form.getOrDefault("reason", "");
            String one = form.get("one");
            List<String> chosen = one != null ? List.of(one) : form.keySet().stream().filter(k -> k.startsWith(SELECTED))
                    .map(k -> k.substring(SELECTED.length())).sorted().toList();
            String action = one != null ? "reset" : form.getOrDefault("action", "");
            boolean confirmed = "yes".equals(form.get("confirm"));
            Integer page = number(form.get("page"));
            String q = form.get("q");
            Function<ApiException, MutableHttpResponse<?>> back = e -> action.equals("add")
                    ? addView(request, status(e), tenant, c, page, q, false, Set.copyOf(chosen), "members.failed",
                    refusal(request, tenant, e), reason)
                    : listView(request, status(e), tenant, c, page, q, false, Set.copyOf(chosen), "members.failed", "error",
                    refusal(request, tenant, e), reason);
            if (chosen.isEmpty() && List.of("add", "delete", "reset").contains(action)) {
                return back.apply(ApiException.badRequest(requests.chrome(request, tenant, "members").t("members.noneSelected")));
            }
            try {
                return switch (action) {
                    case "add" -> done(tenant, c, "added", members.change(who, tenant, c, new MembersChange(chosen, List.of(),
                            reason, null)));
                    case "reset" -> done(tenant, c, "reset", members.resetUrls(who, tenant, c, new UrlReset(chosen, null, reason)));
                    case "delete" -> confirmed
                            ? done(tenant, c, "deleted", members.change(who, tenant, c, new MembersChange(List.of(), chosen,
                            reason, null)))
                            : confirm(request, HttpStatus.OK, tenant, c, "delete", chosen, reason, null);
                    case "reset-all" -> confirmed
                            ? done(tenant, c, "reset-all", members.resetUrls(who, tenant, c, new UrlReset(List.of(), true, reason)))
                            : confirm(request, HttpStatus.OK, tenant, c, "reset-all", List.of(), reason, null);
                    default -> pages.error(request, requests.chrome(request, tenant, "members"), HttpStatus.BAD_REQUEST,
                            "error.badForm", action);
                };
            } catch (ApiException e) {
                return confirmed ? confirm(request, status(e), tenant, c, action, chosen, reason, e) : back.apply(e);
            }
        });
    }

    // ---- pages -------------------------------------------------------------------------------

    private MutableHttpResponse<?> listView(HttpRequest<?> request, HttpStatus status, String tenant, Connector c,
                                            @Nullable Integer page, @Nullable String q, boolean selectAll, Set<String> selected,
                                            @Nullable String notice, String noticeKind, @Nullable String detail, String reason) {
        String query = query(q);
        List<MemberView> all = members.list(tenant, c, false);
        List<MemberView> shown = all.stream().filter(m -> matches(m.memberId(), query)).toList();
        Paged<MemberView> paged = Paged.of(shown, page == null ? 1 : page, MembersPage.PAGE_SIZE);
        Map<String, ChannelView> bound = channels.list(tenant, c).stream()
                .collect(Collectors.toMap(ChannelView::memberId, ch -> ch));
        Map<String, Long> rooms = view.openRooms(tenant, c).stream()
                .collect(Collectors.groupingBy(RoomCommand::memberId, Collectors.counting()));
        List<MembersPage.Row> rows = paged.items().stream().map(m -> row(tenant, m, bound.get(m.memberId()),
                rooms.getOrDefault(m.memberId(), 0L))).toList();
        MembersPage<MembersPage.Row> p = new MembersPage<>(requests.chrome(request, tenant, "members"), tenant, c, mode(tenant, c),
                new Paged<>(rows, paged.page(), paged.pages(), paged.total(), paged.first()), all.size(), query, selectAll, selected,
                notice, noticeKind, detail, reason);
        return pages.page(request, status, "members", Map.of("p", p));
    }

    private MutableHttpResponse<?> addView(HttpRequest<?> request, HttpStatus status, String tenant, Connector c,
                                           @Nullable Integer page, @Nullable String q, boolean selectAll, Set<String> selected,
                                           @Nullable String notice, @Nullable String detail, String reason) {
        String query = query(q);
        List<String> all = members.addable(tenant, c);
        List<String> addable = all.stream().filter(id -> matches(id, query)).toList();
        MembersPage<String> p = new MembersPage<>(requests.chrome(request, tenant, "members"), tenant, c, mode(tenant, c),
                Paged.of(addable, page == null ? 1 : page, MembersPage.PAGE_SIZE), all.size(), query, selectAll, selected, notice,
                "error", detail, reason);
        return pages.page(request, status, "members-add", Map.of("p", p));
    }

    /** The confirmation of delete (the rooms it drops) or reset-all (how many URLs), or again with the refusal. */
    private MutableHttpResponse<?> confirm(HttpRequest<?> request, HttpStatus status, String tenant, Connector c, String action,
                                           List<String> chosen, String reason, @Nullable ApiException refused) {
        ImpactPreview.Impact dropped = action.equals("delete")
                ? impact.preview(tenant, c, new ImpactRequest(null, null, null, chosen)) : null;
        int count = action.equals("delete") ? chosen.size() : members.list(tenant, c, false).size();
        return pages.page(request, status, "members-confirm", Map.of("p", new MembersPage.Confirm(
                requests.chrome(request, tenant, "members"), tenant, c, action, chosen, count, dropped, reason,
                refused == null ? null : "members.failed", refused == null ? null : refusal(request, tenant, refused))));
    }

    /** After a done action: the list, saying what was done (PRG: reloading does not do it again). */
    private static MutableHttpResponse<?> done(String tenant, Connector c, String what, MembersService.Outcome outcome) {
        List<String> changed = outcome.changed().stream().map(MemberView::memberId).toList();
        return ConsolePages.seeOther(MembersPage.base(tenant, c) + "?done=" + what + "&n=" + changed.size()
                + "&u=" + outcome.unchanged().size() + (changed.isEmpty() || changed.size() > NAMED ? ""
                : "&m=" + URLEncoder.encode(String.join(",", changed), StandardCharsets.UTF_8)));
    }

    private static MembersPage.Row row(String tenant, MemberView m, @Nullable ChannelView channel, long rooms) {
        boolean linked = channel != null && channel.channelId() != null && channel.friendLink() != null;
        String qr = m.friendUrl() != null && linked ? "/friend/" + tenant + "/" + m.urlToken() + "/qr.png" : null;
        return new MembersPage.Row(m.memberId(), m.granted(), m.friendUrl(), qr, channel == null ? null : channel.status(),
                channel == null ? null : channel.channelId(), (int) rooms, m.source());
    }

    private PermissionMode mode(String tenant, Connector c) {
        return settings.read(tenant, c).permissionMode();
    }

    private String refusal(HttpRequest<?> request, String tenant, ApiException e) {
        return ConsoleRequests.explain(requests.chrome(request, tenant, "members"), e);
    }

    private static HttpStatus status(ApiException e) {
        return HttpStatus.valueOf(e.status());
    }

    private static String query(@Nullable String q) {
        return q == null ? "" : q.strip().length() > 128 ? q.strip().substring(0, 128) : q.strip();
    }

    private static boolean matches(String memberId, String query) {
        return query.isEmpty() || memberId.toLowerCase(Locale.ROOT).contains(query.toLowerCase(Locale.ROOT));
    }

    @Nullable
    private static Integer number(@Nullable String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
