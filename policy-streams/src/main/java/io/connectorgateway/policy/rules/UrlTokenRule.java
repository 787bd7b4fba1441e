package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * R5: a LINE friend-add is accepted only through the member's CURRENT friend-add URL.
 *
 * <p>Tokens live on {@code connector.members} in both permission modes, so in ALL_MEMBERS a
 * friend-add also needs the member's row with a current token (a member without a row has no URL
 * the gateway issued). A "reset URL" writes a new token, after which the old one is refused.
 */
public final class UrlTokenRule {
    private UrlTokenRule() {
    }

    public static Optional<Verdict> refusal(TenantSettings s, ConnectorEvent friendAdd, ConnectedMember member) {
        if (member == null || member.urlToken() == null) {
            return Optional.of(Verdict.refused("R5", "member " + friendAdd.memberId() + " has no friend-add URL on "
                    + s.connector(), s.version()));
        }
        boolean current = MessageDigest.isEqual(member.urlToken().getBytes(StandardCharsets.UTF_8),
                friendAdd.urlToken().getBytes(StandardCharsets.UTF_8));
        if (!current) {
            return Optional.of(Verdict.refused("R5", "the friend-add came through a friend-add URL that is no longer "
                    + "current (it was reset)", s.version()));
        }
        return Optional.empty();
    }
}
