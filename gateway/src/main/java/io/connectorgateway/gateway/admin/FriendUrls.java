package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The friend-add URLs the gateway serves (SPEC R5): {@code /friend/<tenant>/<token>} leads to the
 * LINE friend-add link of the member's current channel while the token is the member's current
 * one and the member may chat; otherwise the visitor is told the URL is no longer valid and the
 * visit is audited ({@code REFUSED}, rule R5, with the member when the token was theirs). Read
 * from the tenant's view at each visit: a reset is in force for the next visitor.
 */
@Singleton
public final class FriendUrls {
    /** The visitor of a friend-add URL: anonymous, an external LINE user not yet known. */
    static final Actor VISITOR = new Actor("friend-url-visitor", Actor.Role.EXTERNAL_USER);

    public enum Status { VALID, STALE, UNKNOWN, NO_CHANNEL }

    /** Where a visit leads; {@code friendLink} only when VALID. */
    public record Target(Status status, String friendLink) {
    }

    private final ControlView view;
    private final AdminWriter writer;

    public FriendUrls(ControlView view, AdminWriter writer) {
        this.view = view;
        this.writer = writer;
    }

    public Target visit(String tenant, String token) {
        String member = Ids.isValid(token) ? view.friendTokenOwner(tenant, Connector.LINE, token) : null;
        TenantSettings settings = view.settings(tenant, Connector.LINE);
        if (member == null) {
            // A tenant that never wrote LINE settings issued no URL: nothing to audit, and auditing
            // would let any visitor open a trail for any tenant id they make up.
            if (settings.version() > 0) {
                audit(tenant, null, settings, token, "a friend-add URL that was never issued was visited");
            }
            return new Target(Status.UNKNOWN, null);
        }
        ConnectedMember row = view.member(tenant, Connector.LINE, member);
        boolean current = row != null && row.urlToken() != null
                && MessageDigest.isEqual(row.urlToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        boolean permitted = row != null && (row.granted() || settings.permissionMode() == PermissionMode.ALL_MEMBERS);
        if (!current || !permitted) {
            audit(tenant, member, settings, token, current ? "the member's friend-add URL was visited, but the member is not "
                    + "on the connected-members list (BY_MEMBER)" : "a friend-add URL that is no longer current (it was reset) was visited");
            return new Target(Status.STALE, null);
        }
        ChannelBinding binding = view.channel(tenant, Connector.LINE, member);
        String link = binding == null || binding.current() == null ? null : binding.current().friendLink();
        return link == null ? new Target(Status.NO_CHANNEL, null) : new Target(Status.VALID, link);
    }

    private void audit(String tenant, String member, TenantSettings settings, String token, String reason) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("action", "friend-url-visit");
        detail.put("urlTokenFingerprint", HexFormat.of().formatHex(AdminCredentials.sha256(token == null ? "" : token), 0, 8));
        String id = "friend-url:" + UUID.randomUUID();
        writer.write(writer.batch().audit(AuditRecord.builder(id, tenant, AuditKind.REFUSED, "R5")
                .connector(Connector.LINE).reason(reason).settingsVersion(settings.version()).at(System.currentTimeMillis())
                .cause(id).member(member).actor(VISITOR).detail(detail)
                .build()));
    }
}
