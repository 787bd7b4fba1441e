package io.connectorgateway.gateway.channel;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.gateway.admin.ControlView;
import io.connectorgateway.gateway.webhook.LineChannel;
import io.connectorgateway.gateway.webhook.Refusal;
import io.connectorgateway.gateway.webhook.Secrets;
import io.connectorgateway.gateway.webhook.WorksBot;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is behind a tenant-scoped webhook, read from the tenant's partition of the view (so only on
 * the instance that owns the tenant; {@link TenantWebhookController} routes the request there) at
 * the moment the request arrives: a registration, rotation or retirement is in force for the next
 * request, with no cache to expire.
 *
 * <p>How a LINE follow is tied to a URL token (SPEC R5; gateway README, "LINE friend-add tokens"):
 * a follow through the member's <em>current</em> channel is a FRIEND_ADD through the member's
 * current URL token (the one on {@code connector.members} now); a follow through one of the
 * member's <em>previous</em> channels (replaced or retired) is a FRIEND_ADD through a token that was
 * never issued, {@code retired.<channelId>}, which the policy stream refuses (R5) and audits.
 */
@Singleton
public final class ChannelDirectory {
    /** The token of a follow through a channel that is no longer the member's current one. */
    public static final String RETIRED_PREFIX = "retired.";
    /** The token of a follow through a current channel whose member has no friend-add URL. */
    public static final String NO_URL = "no-url";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelDirectory.class);

    private final ControlView view;
    private final ChannelSealer sealer;

    public ChannelDirectory(ControlView view, ChannelSealer sealer) {
        this.view = view;
        this.sealer = sealer;
    }

    /** @throws Refusal UNKNOWN_CHANNEL when the tenant has no such LINE channel (current or previous) */
    public LineChannel line(String tenant, String channelId) {
        ChannelBinding b = channelId == null ? null : view.channelById(tenant, Connector.LINE, channelId);
        ChannelBinding.Channel c = b == null ? null : b.channel(channelId).orElse(null);
        if (c == null) {
            throw new Refusal(Refusal.Reason.UNKNOWN_CHANNEL, "no LINE channel is registered for this webhook URL");
        }
        String token;
        if (b.isCurrent(channelId)) {
            ConnectedMember m = view.member(tenant, Connector.LINE, b.memberId());
            token = m != null && m.urlToken() != null ? m.urlToken() : NO_URL;
        } else {
            token = RETIRED_PREFIX + channelId;
        }
        return new LineChannel(channelId, c.destination(), tenant, b.memberId(), token, secrets(b, c), channelId);
    }

    /**
     * Only the member's current bot: a WORKS callback carries no friend-add to refuse and audit,
     * and a bot is retired because it must not speak for the member any more.
     *
     * @throws Refusal UNKNOWN_BOT when the tenant has no such bot in force
     */
    public WorksBot works(String tenant, String botId) {
        ChannelBinding b = botId == null ? null : view.channelById(tenant, Connector.WORKS, botId);
        if (b == null || !b.isCurrent(botId)) {
            throw new Refusal(Refusal.Reason.UNKNOWN_BOT, b == null ? "no WORKS bot is registered under this bot id"
                    : "this WORKS bot was retired or replaced");
        }
        return new WorksBot(botId, botId, tenant, b.memberId(), secrets(b, b.current()));
    }

    private Secrets secrets(ChannelBinding b, ChannelBinding.Channel c) {
        ChannelSecrets open;
        try {
            open = sealer.open(c.sealed(), ChannelBinding.associatedData(b.tenant(), b.connector(), b.memberId(), c.channelId()));
        } catch (ChannelSealer.SealException e) {
            // A key problem is the operator's, not the sender's: logged loudly; the request is refused
            // like an unknown channel, and the platform redelivers once the key is fixed.
            LOG.error("channel {} of tenant {}: {}", c.channelId(), b.tenant(), e.getMessage());
            throw new Refusal(b.connector() == Connector.LINE ? Refusal.Reason.UNKNOWN_CHANNEL : Refusal.Reason.UNKNOWN_BOT,
                    "the channel's secrets cannot be opened on this gateway instance");
        }
        return Secrets.of(open.secrets(), b.connector() + " channel " + c.channelId());
    }
}
