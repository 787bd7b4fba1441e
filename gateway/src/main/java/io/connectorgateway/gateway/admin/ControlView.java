package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin API reads: settings rows, connected members, the member directory and the open
 * rooms, materialised in memory from {@code connector.settings}, {@code connector.members},
 * {@code connector.directory.events} and {@code connector.rooms}. Every instance reads every
 * partition, so every instance can answer for every tenant. These are small (one row per tenant x
 * connector, per connected member, per open room), unlike the audit trail, which lives in RocksDB.
 */
@Context
public final class ControlView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlView.class);

    private final Topics topics;
    private final Map<String, TenantSettings> settings = new ConcurrentHashMap<>();
    /** tenant:connector -> memberId -> latest row (granted or removed). */
    private final Map<String, Map<String, ConnectedMember>> members = new ConcurrentHashMap<>();
    /** tenant:member -> the latest directory event type. */
    private final Map<String, DirectoryEvent.Type> directory = new ConcurrentHashMap<>();
    /** tenant:connector -> roomId -> the OPENED command, removed when DROPPED or CLOSED. */
    private final Map<String, Map<String, RoomCommand>> openRooms = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    public ControlView(AdminKafka kafka) {
        this.topics = kafka.topics();
        this.follower = new TopicFollower("admin-control-view", kafka.environment().clientConfig(),
                List.of(topics.settings.name(), topics.members.name(), topics.directoryEvents.name(), topics.rooms.name()),
                null, this::apply).start();
    }

    private void apply(ConsumerRecords<byte[], byte[]> batch) {
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            try {
                applyOne(r);
            } catch (RuntimeException e) {
                // The writers validate; a record that does not read is logged (never applied half-way).
                LOG.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
    }

    private void applyOne(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        String topic = r.topic();
        if (topic.equals(topics.settings.name())) {
            TenantSettings s = topics.settings.valueSerde().deserializer().deserialize(topic, r.value());
            TenantSettings previous = settings.put(s.key(), s);
            if (previous != null && s.version() != previous.version() + 1) {
                // Two instances accepted a change on the same version: last write wins on the topic.
                LOG.warn("settings {} went from version {} to {}: concurrent writers on different instances?",
                        s.key(), previous.version(), s.version());
            }
        } else if (topic.equals(topics.members.name())) {
            ConnectedMember m = topics.members.valueSerde().deserializer().deserialize(topic, r.value());
            members.computeIfAbsent(Ids.settingsKey(m.tenant(), m.connector()), k -> new ConcurrentHashMap<>())
                    .put(m.memberId(), m);
        } else if (topic.equals(topics.directoryEvents.name())) {
            DirectoryEvent d = topics.directoryEvents.valueSerde().deserializer().deserialize(topic, r.value());
            directory.put(d.key(), d.type());
        } else if (topic.equals(topics.rooms.name())) {
            RoomCommand c = topics.rooms.valueSerde().deserializer().deserialize(topic, r.value());
            Map<String, RoomCommand> rooms = openRooms.computeIfAbsent(Ids.settingsKey(c.tenant(), c.connector()),
                    k -> new ConcurrentHashMap<>());
            if (c.action() == RoomCommand.Action.OPENED) {
                rooms.put(c.roomId(), c);
            } else {
                rooms.remove(c.roomId());
            }
        }
    }

    /** The current row, or {@link TenantSettings#absent} (version 0) when none was ever written. */
    public TenantSettings settings(String tenant, Connector connector) {
        TenantSettings s = settings.get(Ids.settingsKey(tenant, connector));
        return s != null ? s : TenantSettings.absent(tenant, connector);
    }

    /** Every row ever written for the connector's list (removed members too), by member id. */
    public List<ConnectedMember> members(String tenant, Connector connector) {
        return members.getOrDefault(Ids.settingsKey(tenant, connector), Map.of()).values().stream()
                .sorted(Comparator.comparing(ConnectedMember::memberId)).toList();
    }

    public ConnectedMember member(String tenant, Connector connector, String memberId) {
        return members.getOrDefault(Ids.settingsKey(tenant, connector), Map.of()).get(memberId);
    }

    /**
     * Whether {@code memberId} is a member of the tenant as far as the gateway can know: the
     * directory's latest event for them is JOINED, or, when the directory has nothing on them
     * (its topic keeps only days of events), they already have a row on a connector list. A
     * member whose latest directory event is LEFT is never known.
     */
    public boolean knownMember(String tenant, String memberId) {
        DirectoryEvent.Type last = directory.get(Ids.directoryKey(tenant, memberId));
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

    public boolean left(String tenant, String memberId) {
        return directory.get(Ids.directoryKey(tenant, memberId)) == DirectoryEvent.Type.LEFT;
    }

    public List<RoomCommand> openRooms(String tenant, Connector connector) {
        return openRooms.getOrDefault(Ids.settingsKey(tenant, connector), Map.of()).values().stream()
                .sorted(Comparator.comparing(RoomCommand::memberId).thenComparing(RoomCommand::roomId)).toList();
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return follower.awaitReady(timeout);
    }

    public boolean awaitApplied(Map<TopicPartition, Long> offsets, Duration timeout) throws InterruptedException {
        return follower.awaitApplied(offsets, timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        follower.close();
    }
}
