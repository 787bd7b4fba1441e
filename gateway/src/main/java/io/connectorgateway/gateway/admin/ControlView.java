package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.view.ControlKeys;
import io.connectorgateway.gateway.view.GatewayView;
import io.connectorgateway.gateway.view.ViewTopology;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the admin API reads: settings rows, connected members, the member directory and the open
 * rooms of one tenant, from the {@code gateway-control} store of the tenant's partition
 * ({@link ViewTopology}). Only the instance that owns the partition can answer; requests are
 * routed there first ({@code view.TenantRouter}), and a read on a partition that is not active
 * here is a 503.
 */
@Singleton
public final class ControlView {
    private final GatewayView view;
    private final Topics topics;

    public ControlView(GatewayView view, AdminKafka kafka) {
        this.view = view;
        this.topics = kafka.topics();
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String tenant) {
        return view.store(ViewTopology.CONTROL, tenant);
    }

    /** The current row, or {@link TenantSettings#absent} (version 0) when none was ever written. */
    public TenantSettings settings(String tenant, Connector connector) {
        TenantSettings s = read(topics.settings, store(tenant).get(ControlKeys.settings(tenant, connector)));
        return s != null ? s : TenantSettings.absent(tenant, connector);
    }

    /** Every row ever written for the connector's list (removed members too), by member id. */
    public List<ConnectedMember> members(String tenant, Connector connector) {
        return scan(tenant, ControlKeys.members(tenant, connector), topics.members).stream()
                .sorted(Comparator.comparing(ConnectedMember::memberId)).toList();
    }

    public ConnectedMember member(String tenant, Connector connector, String memberId) {
        return read(topics.members, store(tenant).get(ControlKeys.member(tenant, connector, memberId)));
    }

    /**
     * Whether {@code memberId} is a member of the tenant as far as the gateway can know: the
     * directory's latest event for them is JOINED, or, when the directory has nothing on them
     * (its topic keeps only days of events), they already have a row on a connector list. A
     * member whose latest directory event is LEFT is never known.
     */
    public boolean knownMember(String tenant, String memberId) {
        DirectoryEvent.Type last = directory(tenant, memberId);
        if (last != null) {
            return last == DirectoryEvent.Type.JOINED;
        }
        for (Connector c : Connector.values()) {
            if (member(tenant, c, memberId) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every member id the gateway has heard of in the tenant: the directory's entries (joined or
     * left) and the ids with a row on a connector list, sorted. Whether one is a member now is
     * {@link #knownMember}'s to say.
     */
    public java.util.SortedSet<String> memberIds(String tenant) {
        java.util.SortedSet<String> ids = new java.util.TreeSet<>();
        String prefix = ControlKeys.directories(tenant);
        try (KeyValueIterator<String, byte[]> it = store(tenant).prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> ids.add(kv.key.substring(prefix.length())));
        }
        for (Connector c : Connector.values()) {
            members(tenant, c).forEach(m -> ids.add(m.memberId()));
        }
        return ids;
    }

    public boolean left(String tenant, String memberId) {
        return directory(tenant, memberId) == DirectoryEvent.Type.LEFT;
    }

    private DirectoryEvent.Type directory(String tenant, String memberId) {
        byte[] v = store(tenant).get(ControlKeys.directory(tenant, memberId));
        return v == null ? null : DirectoryEvent.Type.valueOf(new String(v, StandardCharsets.UTF_8));
    }

    /** The member's channel binding on the connector, or null when none was ever registered. */
    public ChannelBinding channel(String tenant, Connector connector, String memberId) {
        return read(topics.channels, store(tenant).get(ControlKeys.channel(tenant, connector, memberId)));
    }

    /** Every channel binding of the connector (retired ones too), by member id. */
    public List<ChannelBinding> channels(String tenant, Connector connector) {
        return scan(tenant, ControlKeys.channels(tenant, connector), topics.channels).stream()
                .sorted(Comparator.comparing(ChannelBinding::memberId)).toList();
    }

    /** The member who has or had friend-add URL token {@code token}, or null when it was never issued. */
    public String friendTokenOwner(String tenant, Connector connector, String token) {
        byte[] member = store(tenant).get(ControlKeys.friendToken(tenant, connector, token));
        return member == null ? null : new String(member, StandardCharsets.UTF_8);
    }

    /** The binding that holds channel / bot {@code channelId} (as current or previous), or null. */
    public ChannelBinding channelById(String tenant, Connector connector, String channelId) {
        byte[] member = store(tenant).get(ControlKeys.channelIndex(tenant, connector, channelId));
        return member == null ? null : channel(tenant, connector, new String(member, StandardCharsets.UTF_8));
    }

    public List<RoomCommand> openRooms(String tenant, Connector connector) {
        return scan(tenant, ControlKeys.rooms(tenant, connector), topics.rooms).stream()
                .sorted(Comparator.comparing(RoomCommand::memberId).thenComparing(RoomCommand::roomId)).toList();
    }

    /** The tenant's partition (of every topic). */
    public int partition(String tenant) {
        return view.partition(tenant);
    }

    /** The offset after the last record of {@code tp} the view has applied (0 before any). */
    public long applied(String tenant, TopicPartition tp) {
        return view.applied(ViewTopology.CONTROL, tenant, tp);
    }

    /** Waits until the view has applied the record at each offset (the tenant's settings / members writes). */
    public boolean awaitApplied(String tenant, Map<TopicPartition, Long> offsets, Duration timeout) throws InterruptedException {
        return view.awaitApplied(ViewTopology.CONTROL, tenant, offsets, timeout);
    }

    private <V> List<V> scan(String tenant, String prefix, Topic<String, V> topic) {
        List<V> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store(tenant).prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> out.add(read(topic, kv.value)));
        }
        return out;
    }

    private static <V> V read(Topic<String, V> topic, byte[] value) {
        return value == null ? null : topic.valueSerde().deserializer().deserialize(topic.name(), value);
    }
}
