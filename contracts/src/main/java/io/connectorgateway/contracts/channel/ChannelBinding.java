package io.connectorgateway.contracts.channel;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One row of {@code connector.channels} (compacted, key {@code tenant:connector:member}, on the
 * tenant's partition): the LINE channel or WORKS bot a member is reached through, and the ones
 * they were reached through before.
 *
 * <p>{@code current} is the channel in force (null once retired). {@code previous} keeps the
 * member's earlier channels (replaced by a new registration, or retired), newest first, at most
 * {@value #MAX_PREVIOUS}: a webhook through one of them is still recognised (its signature checked
 * with its own secrets) so that a follow through it is refused and audited by the policy stream
 * rather than answered 401 where nobody sees it (gateway README, "LINE friend-add tokens").
 *
 * <p>Secrets and the access token are only ever on the topic {@link Sealed}; the record carries
 * their fingerprints for display and audit.
 *
 * @param schemaVersion record schema version
 * @param tenant        the tenant
 * @param connector     LINE (a Messaging API channel) or WORKS (a bot)
 * @param memberId      the member
 * @param status        ACTIVE (has a current channel) or RETIRED (none)
 * @param current       the channel in force, null when RETIRED
 * @param previous      earlier channels, newest first
 * @param version       1, 2, 3, ... per key
 * @param change        who made this version and why
 */
public record ChannelBinding(
        int schemaVersion,
        String tenant,
        Connector connector,
        String memberId,
        Status status,
        Channel current,
        List<Channel> previous,
        long version,
        Change change) {

    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_PREVIOUS = 10;

    public enum Status { ACTIVE, RETIRED }

    /**
     * A LINE channel or a WORKS bot.
     *
     * @param channelId              LINE channel id / WORKS bot id: what the webhook URL (LINE) or
     *                               {@code X-WORKS-BotId} (WORKS) names
     * @param destination            LINE: the channel bot's user id, LINE's {@code destination}; null for WORKS
     * @param friendLink             LINE: the channel's friend-add link (https), where a current friend URL leads
     * @param sealed                 the secrets and access token, encrypted
     * @param secretFingerprints     fingerprints of the active secrets, in order
     * @param accessTokenFingerprint fingerprint of the access token, null when none
     * @param registeredAt           epoch ms when this channel was registered
     * @param retiredAt              epoch ms when it stopped being current (null while current)
     */
    public record Channel(String channelId, String destination, String friendLink, Sealed sealed,
                         List<String> secretFingerprints, String accessTokenFingerprint, long registeredAt, Long retiredAt) {
        public Channel {
            Ids.require("channelId", channelId);
            Ids.optional("destination", destination);
            if (friendLink != null) {
                checkLink(friendLink);
            }
            if (sealed == null) {
                throw new IllegalArgumentException("channel.sealed is required: the secrets, encrypted");
            }
            if (secretFingerprints == null || secretFingerprints.isEmpty() || secretFingerprints.size() > ChannelSecrets.MAX_SECRETS) {
                throw new IllegalArgumentException("channel.secretFingerprints must list 1 or 2 fingerprints");
            }
            secretFingerprints = List.copyOf(secretFingerprints);
        }

        /** A channel registered at {@code at} with {@code secrets} sealed for the member's record, fingerprints beside them. */
        public static Channel sealed(ChannelSealer sealer, String tenant, Connector connector, String memberId, String channelId,
                                     String destination, String friendLink, ChannelSecrets secrets, long at) {
            return new Channel(channelId, destination, friendLink,
                    sealer.seal(secrets, associatedData(tenant, connector, memberId, channelId)), secrets.fingerprints(),
                    ChannelSecrets.fingerprint(secrets.accessToken()), at, null);
        }

        public Channel retired(long at) {
            return new Channel(channelId, destination, friendLink, sealed, secretFingerprints, accessTokenFingerprint,
                    registeredAt, at);
        }
    }

    public ChannelBinding {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (schemaVersion < 0 || schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported channel schemaVersion " + schemaVersion);
        }
        Ids.require("tenant", tenant);
        Ids.require("memberId", memberId);
        if (connector == null) {
            throw new IllegalArgumentException("connector is required (LINE or WORKS)");
        }
        if (status == null) {
            status = current == null ? Status.RETIRED : Status.ACTIVE;
        }
        if ((status == Status.ACTIVE) != (current != null)) {
            throw new IllegalArgumentException("an ACTIVE binding has a current channel, a RETIRED one none");
        }
        if (current != null && connector == Connector.LINE && current.destination() == null) {
            throw new IllegalArgumentException("a LINE channel needs its destination (the bot's user id)");
        }
        if (current != null && connector == Connector.WORKS && (current.destination() != null || current.friendLink() != null)) {
            throw new IllegalArgumentException("a WORKS bot has no destination and no friend-add link");
        }
        previous = previous == null ? List.of() : List.copyOf(previous.subList(0, Math.min(previous.size(), MAX_PREVIOUS)));
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if (change == null) {
            throw new IllegalArgumentException("change is required: who registered, rotated or retired the channel, and why");
        }
    }

    /**
     * A member's first registration (version 1): what the admin API writes for {@code channels register}
     * of a member without a binding. For tests, benchmarks and bootstrapping tools that write the
     * topic directly.
     */
    public static ChannelBinding registered(ChannelSealer sealer, String tenant, Connector connector, String memberId,
                                            String channelId, String destination, String friendLink, ChannelSecrets secrets,
                                            Change change) {
        Channel c = Channel.sealed(sealer, tenant, connector, memberId, channelId, destination, friendLink, secrets, change.at());
        return new ChannelBinding(SCHEMA_VERSION, tenant, connector, memberId, Status.ACTIVE, c, List.of(), 1, change);
    }

    public String key() {
        return Ids.memberKey(tenant, connector, memberId);
    }

    /** The current channel, then the previous ones. */
    public Stream<Channel> channels() {
        return Stream.concat(Stream.ofNullable(current), previous.stream());
    }

    /** The channel with this id (current or previous). */
    public Optional<Channel> channel(String channelId) {
        return channels().filter(c -> c.channelId().equals(channelId)).findFirst();
    }

    public boolean isCurrent(String channelId) {
        return current != null && current.channelId().equals(channelId);
    }

    /** The channels to keep as previous when {@code current} stops being current at {@code at}. */
    public List<Channel> previousAfterReplacing(long at, String keepOut) {
        List<Channel> out = new ArrayList<>();
        if (current != null) {
            out.add(current.retired(at));
        }
        previous.stream().filter(c -> !c.channelId().equals(keepOut)).forEach(out::add);
        out.removeIf(c -> c.channelId().equals(keepOut));
        return out;
    }

    /** Associated data binding a sealed value to its record and channel. */
    public static byte[] associatedData(String tenant, Connector connector, String memberId, String channelId) {
        return (Ids.memberKey(tenant, connector, memberId) + '|' + channelId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void checkLink(String link) {
        if (link.length() > 512) {
            throw new IllegalArgumentException("friendLink must be at most 512 characters");
        }
        URI u;
        try {
            u = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("friendLink is not a URL", e);
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("friendLink must be an https:// URL (the channel's LINE friend-add link)");
        }
    }
}
