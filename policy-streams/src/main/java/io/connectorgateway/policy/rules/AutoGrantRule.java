package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * R9: a member who joins the tenant is put on the connected-members list when the mode is
 * BY_MEMBER and auto-grant is on (auto-grant has no meaning in ALL_MEMBERS, where everyone may chat).
 *
 * <p>The new friend-add URL token is an HMAC of the join event under a secret: deterministic, so a
 * retried transaction or a replay issues the same token, and unguessable without the secret.
 */
public final class AutoGrantRule {
    public static final Actor ACTOR = Actor.system("policy-streams");

    private final byte[] tokenSecret;

    public AutoGrantRule(byte[] tokenSecret) {
        if (tokenSecret == null || tokenSecret.length < 16) {
            throw new IllegalArgumentException("the auto-grant token secret needs at least 16 bytes");
        }
        this.tokenSecret = tokenSecret.clone();
    }

    /** The row to write, or empty when the rule does not apply or the member is already granted. */
    public Optional<ConnectedMember> grant(TenantSettings s, DirectoryEvent joined, ConnectedMember current) {
        if (!s.autoGrantNewMembers() || s.permissionMode() != PermissionMode.BY_MEMBER) {
            return Optional.empty();
        }
        if (current != null && current.granted()) {
            return Optional.empty();
        }
        long version = current == null ? 1 : current.version() + 1;
        return Optional.of(new ConnectedMember(ConnectedMember.SCHEMA_VERSION, s.tenant(), s.connector(), joined.memberId(),
                true, token(joined, s), version, ConnectedMember.Source.AUTO_GRANT,
                new Change(ACTOR, "auto-grant: member joined the tenant and auto-grant is on (R9, settings v"
                        + s.version() + ")", joined.timestamp())));
    }

    String token(DirectoryEvent joined, TenantSettings s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenSecret, "HmacSHA256"));
            byte[] h = mac.doFinal((joined.eventId() + '|' + s.key()).getBytes(StandardCharsets.UTF_8));
            return "ag-" + HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
