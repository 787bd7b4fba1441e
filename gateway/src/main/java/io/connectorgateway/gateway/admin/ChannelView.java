package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import java.util.List;

/**
 * A channel binding as the API and the CLI show it: fingerprints, never a secret or token.
 *
 * @param webhookPath where the platform must send this channel's webhooks (LINE) / callbacks (WORKS)
 */
public record ChannelView(String memberId, Connector connector, ChannelBinding.Status status, String channelId,
                          String destination, String friendLink, List<String> secretFingerprints,
                          String accessTokenFingerprint, String keyId, String webhookPath, List<Previous> previous,
                          long version, Change change) {

    /** An earlier channel of the member: recognised, so that follows through it are refused and audited. */
    public record Previous(String channelId, String destination, List<String> secretFingerprints, long registeredAt,
                           Long retiredAt) {
    }

    static ChannelView of(ChannelBinding b) {
        ChannelBinding.Channel c = b.current();
        return new ChannelView(b.memberId(), b.connector(), b.status(), c == null ? null : c.channelId(),
                c == null ? null : c.destination(), c == null ? null : c.friendLink(),
                c == null ? List.of() : c.secretFingerprints(), c == null ? null : c.accessTokenFingerprint(),
                c == null ? null : c.sealed().keyId(), c == null ? null : webhookPath(b.tenant(), b.connector(), c.channelId()),
                b.previous().stream().map(p -> new Previous(p.channelId(), p.destination(), p.secretFingerprints(),
                        p.registeredAt(), p.retiredAt())).toList(),
                b.version(), b.change());
    }

    /** {@code /webhooks/line/<tenant>/<channelId>} or {@code /webhooks/works/<tenant>} (bot in {@code X-WORKS-BotId}). */
    public static String webhookPath(String tenant, Connector connector, String channelId) {
        return connector == Connector.LINE ? "/webhooks/line/" + tenant + "/" + channelId : "/webhooks/works/" + tenant;
    }
}
