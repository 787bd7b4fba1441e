package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.gateway.admin.ImpactPreview;
import io.micronaut.core.annotation.Nullable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * What the "Manage External Message Users" pages show (one connector's tab): the list with each
 * member's linkage status, the "Add" choice of the tenant's members, and the confirmation of a
 * delete or of resetting every URL. Each page keeps what the admin selected and typed when an
 * action was refused.
 *
 * @param c        the chrome
 * @param tenant   the tenant
 * @param connector the tab
 * @param mode     the connector's permission mode (the list decides only in BY_MEMBER)
 * @param rows     the page of the list (members page) or of the members who can be added (add page)
 * @param count    how many there are without the search
 * @param query    the search text the list is filtered by (empty: none)
 * @param selectAll every row of the page shown selected ("Select all on this page")
 * @param selected member ids selected when the page was posted and refused
 * @param notice   message key of the notice above the list (done, refused), or null
 * @param noticeKind ok or error
 * @param detail   the notice's detail (a count, the admin API's message with the rule named)
 * @param reason   the reason as typed
 */
public record MembersPage<T>(Chrome c, String tenant, Connector connector, PermissionMode mode, Paged<T> rows, int count,
                             String query,
                             boolean selectAll, Set<String> selected, @Nullable String notice, String noticeKind,
                             @Nullable String detail, String reason) {
    /** Members shown on one page. */
    public static final int PAGE_SIZE = 50;

    public MembersPage {
        selected = Set.copyOf(selected);
    }

    /**
     * A member and the linkage status of the list: friend-add URL and QR code (LINE), the member's
     * channel / bot, the open rooms.
     *
     * @param granted  on the connected-members list (false: not on it, but with a URL in ALL_MEMBERS)
     * @param friendUrl the member's current friend-add URL (LINE), else null
     * @param qrPath   the gateway's QR code of that URL, when it leads somewhere (a channel with a friend-add link)
     * @param channel  ACTIVE, RETIRED, or null when none was ever registered
     * @param channelId the LINE channel id / WORKS bot id in force, or null
     * @param rooms    open rooms of the member on this connector
     */
    public record Row(String memberId, boolean granted, @Nullable String friendUrl, @Nullable String qrPath,
                      @Nullable ChannelBinding.Status channel, @Nullable String channelId, int rooms,
                      ConnectedMember.Source source) {
        public boolean registered() {
            return channel == ChannelBinding.Status.ACTIVE;
        }
    }

    /**
     * The confirmation of a destructive action: the members it deletes (with the rooms each loses,
     * from the admin API's impact preview) or how many URLs a reset of all makes stale.
     *
     * @param action  delete or reset-all
     * @param members the members to delete (empty for reset-all)
     * @param count   how many members the action touches
     * @param impact  the rooms the delete drops (null for reset-all)
     */
    public record Confirm(Chrome c, String tenant, Connector connector, String action, List<String> members, int count,
                          @Nullable ImpactPreview.Impact impact, String reason, @Nullable String notice,
                          @Nullable String detail) {
        public Confirm {
            members = List.copyOf(members);
        }

        /** The rooms deleting {@code member} drops. */
        public int rooms(String member) {
            return impact == null ? 0 : impact.members().stream().filter(m -> m.memberId().equals(member))
                    .mapToInt(ImpactPreview.MemberImpact::rooms).sum();
        }

        /** Where the confirmation posts: the list page. */
        public String formAction() {
            return base(tenant, connector);
        }
    }

    public boolean line() {
        return connector == Connector.LINE;
    }

    public boolean byMember() {
        return mode == PermissionMode.BY_MEMBER;
    }

    public boolean checked(String memberId) {
        return selectAll || selected.contains(memberId);
    }

    /** Where the list's forms post: the list page. */
    public String action() {
        return base(tenant, connector);
    }

    /** The tab of {@code other} connector. */
    public String tab(Connector other) {
        return base(tenant, other);
    }

    public String addPage() {
        return action() + "/add";
    }

    /** This page (list or add) at page {@code n}, with the search kept. */
    public String link(String path, int n) {
        return path + "?page=" + n + (query.isEmpty() ? "" : "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    /** This page with every row of it selected. */
    public String selectAllLink(String path) {
        return link(path, rows.page()) + "&select=page";
    }

    static String base(String tenant, Connector connector) {
        return "/console/tenants/" + tenant + "/members/" + connector.name();
    }
}
