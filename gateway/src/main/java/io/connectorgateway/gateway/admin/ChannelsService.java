package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.channel.Sealed;
import io.connectorgateway.contracts.settings.ConnectedMember;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel registry of a tenant x connector (SPEC settings table, "LINE channels, WORKS bots"):
 * register, rotate and retire a member's LINE channel / WORKS bot. Each change is one row on
 * {@code connector.channels} (secrets sealed, {@link ChannelSealer}) and one audit record
 * ({@code CHANNEL_CHANGED}: who, when, fingerprints) in the same transaction, on the tenant's owner,
 * visible to its webhooks as soon as the call answers.
 */
@Singleton
public final class ChannelsService {
    private final ControlView view;
    private final TenantWrites writes;
    private final AdminWriter writer;
    private final ChannelSealer sealer;
    /** The shape of {@link ChannelSecrets#fingerprint}. */
    private static final java.util.regex.Pattern FINGERPRINT = java.util.regex.Pattern.compile("sha256:[0-9a-f]{16}");
    private final SecureRandom random = new SecureRandom();

    public ChannelsService(ControlView view, TenantWrites writes, AdminWriter writer, ChannelSealer sealer) {
        this.view = view;
        this.writes = writes;
        this.writer = writer;
        this.sealer = sealer;
    }

    public List<ChannelView> list(String tenant, Connector connector) {
        return view.channels(tenant, connector).stream().map(ChannelView::of).toList();
    }

    public ChannelView get(String tenant, Connector connector, String memberId) {
        ChannelBinding b = view.channel(tenant, connector, member(memberId));
        if (b == null) {
            throw new ApiException(404, "not-found", "member " + memberId + " has no " + connector + " channel registered", null, null);
        }
        return ChannelView.of(b);
    }

    public ChannelView register(AdminPrincipal who, String tenant, Connector connector, String memberId,
                                ChannelRequests.Register r) {
        member(memberId);
        Change change = SettingsService.change(who, r.reason());
        String channelId = field("channelId", r.channelId());
        if (connector == Connector.LINE) {
            field("destination", r.destination());
        } else if (r.destination() != null || r.friendLink() != null || r.accessToken() != null) {
            throw ApiException.badRequest("a WORKS bot has no destination, friendLink or accessToken; give channelId (the bot id) and secrets");
        }
        ChannelSecrets secrets = secrets(r.secrets(), r.accessToken());
        return writes.serialised(tenant, () -> {
            if (!view.knownMember(tenant, memberId)) {
                throw ApiException.invalid("R3", "memberId", "member " + memberId + " is not a member of tenant " + tenant
                        + " (never joined, or left, per the directory)");
            }
            ChannelBinding current = view.channel(tenant, connector, memberId);
            expect(current, r.expectedVersion());
            ChannelBinding holder = view.channelById(tenant, connector, channelId);
            if (holder != null && !holder.memberId().equals(memberId)) {
                throw ApiException.invalid("R5", "channelId", connector + " channel " + channelId + " is registered to member "
                        + holder.memberId() + " of this tenant; retire it there first");
            }
            long now = change.at();
            ChannelBinding.Channel channel;
            try {
                channel = new ChannelBinding.Channel(channelId, r.destination(), r.friendLink(), seal(tenant, connector, memberId,
                        channelId, secrets), secrets.fingerprints(), ChannelSecrets.fingerprint(secrets.accessToken()), now, null);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            List<ChannelBinding.Channel> previous;
            if (current == null) {
                previous = List.of();
            } else if (current.isCurrent(channelId)) {
                previous = current.previous();
            } else {
                previous = current.previousAfterReplacing(now, channelId);
            }
            ChannelBinding after = new ChannelBinding(0, tenant, connector, memberId, ChannelBinding.Status.ACTIVE, channel,
                    previous, current == null ? 1 : current.version() + 1, change);
            // A LINE channel always comes with a friend-add URL: a member who has none (not listed,
            // ALL_MEMBERS) gets one, without being put on the list (gateway README, "LINE friend-add tokens").
            ConnectedMember row = view.member(tenant, connector, memberId);
            ConnectedMember url = connector != Connector.LINE || row != null && row.urlToken() != null ? null
                    : new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, memberId, false,
                    MembersService.newToken(random), row == null ? 1 : row.version() + 1, ConnectedMember.Source.ADMIN, change);
            return write(tenant, connector, change, current, after,
                    current != null && current.current() != null && !current.isCurrent(channelId) ? "replace" : "register", url);
        });
    }

    public ChannelView rotate(AdminPrincipal who, String tenant, Connector connector, String memberId, ChannelRequests.Rotate r) {
        member(memberId);
        Change change = SettingsService.change(who, r.reason());
        if (connector == Connector.WORKS && r.accessToken() != null) {
            throw ApiException.badRequest("a WORKS bot has no accessToken");
        }
        return writes.serialised(tenant, () -> {
            ChannelBinding current = active(tenant, connector, memberId);
            expect(current, r.expectedVersion());
            ChannelBinding.Channel c = current.current();
            ChannelSecrets open = open(current, c);
            List<String> next = new ArrayList<>(open.secrets());
            if (r.removeSecret() != null) {
                int at = open.fingerprints().indexOf(r.removeSecret().trim());
                if (at < 0) {
                    // echoed only when it has the shape of a fingerprint: anything else may be the secret itself
                    String given = FINGERPRINT.matcher(r.removeSecret().trim()).matches() ? " " + r.removeSecret().trim() : "";
                    throw ApiException.invalid("R5", "removeSecret", "no active secret has fingerprint" + given
                            + " (removeSecret is the sha256:... fingerprint of an active secret; active: "
                            + String.join(", ", open.fingerprints()) + ")");
                }
                next.remove(at);
            }
            if (r.addSecret() != null) {
                if (next.contains(r.addSecret())) {
                    throw ApiException.invalid("R5", "addSecret", "that secret is already active");
                }
                next.add(r.addSecret());
            }
            if (next.isEmpty()) {
                throw ApiException.invalid("R5", "removeSecret", "the last secret cannot be removed; add the new one first, or retire the channel");
            }
            if (next.size() > ChannelSecrets.MAX_SECRETS) {
                throw ApiException.invalid("R5", "addSecret", "two secrets are active already (old and new); remove one first (removeSecret)");
            }
            ChannelSecrets rotated = secrets(next, r.accessToken() != null ? r.accessToken() : open.accessToken());
            // Sealed again in any case: under the primary key, so a rotation also moves a record to a new key-encryption key.
            ChannelBinding.Channel channel = new ChannelBinding.Channel(c.channelId(), c.destination(), c.friendLink(),
                    seal(tenant, connector, memberId, c.channelId(), rotated), rotated.fingerprints(),
                    ChannelSecrets.fingerprint(rotated.accessToken()), c.registeredAt(), null);
            ChannelBinding after = new ChannelBinding(0, tenant, connector, memberId, ChannelBinding.Status.ACTIVE, channel,
                    current.previous(), current.version() + 1, change);
            return write(tenant, connector, change, current, after, "rotate", null);
        });
    }

    public ChannelView retire(AdminPrincipal who, String tenant, Connector connector, String memberId, ChannelRequests.Retire r) {
        member(memberId);
        Change change = SettingsService.change(who, r.reason());
        return writes.serialised(tenant, () -> {
            ChannelBinding current = active(tenant, connector, memberId);
            expect(current, r.expectedVersion());
            ChannelBinding after = new ChannelBinding(0, tenant, connector, memberId, ChannelBinding.Status.RETIRED, null,
                    current.previousAfterReplacing(change.at(), null), current.version() + 1, change);
            return write(tenant, connector, change, current, after, "retire", null);
        });
    }

    /** @param url a friend-add URL row to write with the binding (null: none) */
    private ChannelView write(String tenant, Connector connector, Change change, ChannelBinding before, ChannelBinding after,
                              String action, ConnectedMember url) {
        ChannelView shown = ChannelView.of(after);
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("action", action);
        ChannelBinding.Channel touched = after.current() != null ? after.current() : after.previous().get(0);
        detail.put("channelId", touched.channelId());
        detail.put("secretFingerprints", String.join(",", touched.secretFingerprints()));
        if (touched.accessTokenFingerprint() != null) {
            detail.put("accessTokenFingerprint", touched.accessTokenFingerprint());
        }
        detail.put("keyId", touched.sealed().keyId());
        AdminWriter.Batch batch = writer.batch().channel(after);
        if (url != null) {
            batch.member(url);
            detail.put("friendUrlIssued", "true");
        }
        batch.audit(ChangeAudit.channelChanged(ChangeAudit.newChangeId(), tenant, connector, view.settings(tenant, connector).version(),
                change, after.memberId(), before == null ? null : ChannelView.of(before), shown, detail));
        writes.commit(tenant, batch);
        return shown;
    }

    private ChannelBinding active(String tenant, Connector connector, String memberId) {
        ChannelBinding current = view.channel(tenant, connector, memberId);
        if (current == null || current.current() == null) {
            throw ApiException.invalid("R5", "memberId", "member " + memberId + " has no " + connector + " channel in force"
                    + (current == null ? "" : " (retired)") + "; register one");
        }
        return current;
    }

    private static void expect(ChannelBinding current, Long expected) {
        long version = current == null ? 0 : current.version();
        if (expected != null && expected != version) {
            throw ApiException.conflict("the channel binding is at version " + version + ", not " + expected, version);
        }
    }

    private Sealed seal(String tenant, Connector connector, String memberId, String channelId, ChannelSecrets secrets) {
        return sealer.seal(secrets, ChannelBinding.associatedData(tenant, connector, memberId, channelId));
    }

    private ChannelSecrets open(ChannelBinding b, ChannelBinding.Channel c) {
        try {
            return sealer.open(c.sealed(), ChannelBinding.associatedData(b.tenant(), b.connector(), b.memberId(), c.channelId()));
        } catch (ChannelSealer.SealException e) {
            throw ApiException.unavailable("the channel's secrets cannot be opened on this instance: " + e.getMessage());
        }
    }

    private static ChannelSecrets secrets(List<String> secrets, String accessToken) {
        try {
            return new ChannelSecrets(secrets, accessToken);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("secrets: " + e.getMessage());
        }
    }

    private static String member(String memberId) {
        if (!Ids.isValid(memberId)) {
            throw ApiException.badRequest("'" + memberId + "' is not a valid member id");
        }
        return memberId;
    }

    private static String field(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name + " is required");
        }
        if (!Ids.isValid(value)) {
            throw ApiException.badRequest(name + " must be 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
        return value;
    }
}
