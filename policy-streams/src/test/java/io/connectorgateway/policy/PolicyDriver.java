package io.connectorgateway.policy;

import io.connectorgateway.testsupport.TestAuditKeys;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.app.PolicyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The policy topology in a {@link TopologyTestDriver}, with the inputs and outputs named as in the
 * SPEC. Every input gets the next tick of a test clock as its timestamp, so tests read as a story.
 * Outputs are collected as they come, so a test can look at "what happened since".
 */
final class PolicyDriver implements AutoCloseable {
    static final byte[] SECRET = "test-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8);

    /** The driver has one partition per topic: every tenant's partition is 0. */
    final Topics topics = new Topics("", 1, (short) 1);
    final TopologyTestDriver driver;
    private final Path stateDir;
    private final TestInputTopic<String, ConnectorEvent> line;
    private final TestInputTopic<String, ConnectorEvent> works;
    private final TestInputTopic<String, TenantSettings> settingsIn;
    private final TestInputTopic<String, ConnectedMember> membersIn;
    private final TestInputTopic<String, DirectoryEvent> directoryIn;
    private final TestInputTopic<String, AuditRecord> intakeIn;
    private final TestInputTopic<String, io.connectorgateway.contracts.content.ContentKey> keysIn;
    private final TestOutputTopic<String, Delivery> deliveriesOut;
    private final TestOutputTopic<String, RoomCommand> roomsOut;
    private final TestOutputTopic<String, GreetingCommand> greetingsOut;
    private final TestOutputTopic<String, AuditRecord> auditOut;
    private final TestOutputTopic<String, HistoryEntry> historyOut;
    private final TestOutputTopic<String, ConnectedMember> membersOut;
    private final TestOutputTopic<String, AuditCheckpoint> checkpointsOut;
    private final TestOutputTopic<String, io.connectorgateway.contracts.content.ContentKey> keysOut;
    private long clock = Fixtures.T0;

    /** Deliveries as the platform reads them: sealed content opened with its key. */
    final List<Delivery> deliveries = new ArrayList<>();
    /** Deliveries as written to the topic. */
    final List<Delivery> sealedDeliveries = new ArrayList<>();
    final List<RoomCommand> rooms = new ArrayList<>();
    final List<GreetingCommand> greetings = new ArrayList<>();
    final List<AuditRecord> audit = new ArrayList<>();
    /** History entries as a reader with the key topic sees them: sealed content opened with its key. */
    final List<HistoryEntry> history = new ArrayList<>();
    /** The content keys in force (the compacted key topic as a table: tombstones remove). */
    final java.util.Map<String, io.connectorgateway.contracts.content.ContentKey> contentKeys = new java.util.HashMap<>();
    /** Every record written to {@code connector.content.keys}, with its key (a tombstone's value is null). */
    final List<org.apache.kafka.streams.KeyValue<String, io.connectorgateway.contracts.content.ContentKey>> keyRecords =
            new ArrayList<>();
    /** Every record written to {@code connector.history}, with its key (a tombstone's value is null). */
    final List<org.apache.kafka.streams.KeyValue<String, HistoryEntry>> historyRecords = new ArrayList<>();
    final List<ConnectedMember> memberRows = new ArrayList<>();
    final List<AuditCheckpoint> checkpoints = new ArrayList<>();

    PolicyDriver() {
        this(Map.of());
    }

    /** @param extraEnv further policy settings (environment variables), e.g. the freshness window or the checkpoint cadence */
    PolicyDriver(Map<String, String> extraEnv) {
        try {
            stateDir = Files.createTempDirectory("policy-ttd");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> env = new HashMap<>(Map.of("POLICY_APPLICATION_ID", "policy-ttd",
                "AUDIT_CHAIN_KEYS", TestAuditKeys.KEYS,
                "POLICY_TOKEN_SECRET", new String(SECRET, StandardCharsets.UTF_8),
                "POLICY_STATE_DIR", stateDir.toString(),
                // The driver pipes one record at a time and processes it at once, so there is nothing
                // to wait for; with idling on, it would wait for wall-clock time that never passes.
                "POLICY_MAX_TASK_IDLE_MS", "-1"));
        env.putAll(extraEnv);
        PolicyConfig config = PolicyConfig.fromEnvironment(env);
        Properties props = config.streamsProperties();
        props.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(PolicyTopology.build(topics, config.options()), props);
        settingsIn = input(driver, topics.settings);
        membersIn = input(driver, topics.members);
        directoryIn = input(driver, topics.directoryEvents);
        intakeIn = input(driver, topics.auditIntake);
        keysIn = input(driver, topics.contentKeys);
        line = input(driver, topics.lineEvents);
        works = input(driver, topics.worksEvents);
        deliveriesOut = output(topics.deliveries);
        roomsOut = output(topics.rooms);
        greetingsOut = output(topics.greetings);
        auditOut = output(topics.audit);
        historyOut = output(topics.history);
        membersOut = output(topics.members);
        checkpointsOut = output(topics.auditCheckpoints);
        keysOut = output(topics.contentKeys);
    }

    private static <V> TestInputTopic<String, V> input(TopologyTestDriver d, Topic<String, V> t) {
        return d.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    long tick() {
        clock += 1_000;
        return clock;
    }

    PolicyDriver settings(TenantSettings s) {
        settingsIn.pipeInput(s.key(), s, tick());
        return collect();
    }

    PolicyDriver member(ConnectedMember m) {
        membersIn.pipeInput(m.key(), m, tick());
        return collect();
    }

    PolicyDriver directory(DirectoryEvent d) {
        directoryIn.pipeInput(d.key(), d, tick());
        return collect();
    }

    /** An audit record another service wrote to the intake (the task chains it). */
    PolicyDriver intake(AuditRecord a) {
        intakeIn.pipeInput(a.tenant(), a, tick());
        return collect();
    }

    PolicyDriver event(ConnectorEvent e) {
        (e.connector() == Connector.LINE ? line : works).pipeInput(e.pairKey(), e, tick());
        return collect();
    }

    /** The event with this record timestamp; the test clock continues from there. */
    PolicyDriver event(ConnectorEvent e, long recordTimestamp) {
        clock = recordTimestamp;
        (e.connector() == Connector.LINE ? line : works).pipeInput(e.pairKey(), e, recordTimestamp);
        return collect();
    }

    /**
     * The event as the gateway writes it: a fresh key for the message on the key topic first, then
     * the event with its content sealed under that key.
     */
    PolicyDriver sealedEvent(ConnectorEvent e) {
        var key = io.connectorgateway.contracts.content.SealedContent.newKey(e.tenant(), e.connector(), e.eventId());
        contentKey(key);
        return event(e.sealedUnder(key));
    }

    /** A record another producer wrote to {@code connector.content.keys}. */
    PolicyDriver contentKey(io.connectorgateway.contracts.content.ContentKey key) {
        contentKeys.put(key.id(), key);
        keysIn.pipeInput(key.id(), key, tick());
        return collect();
    }

    PolicyDriver events(ConnectorEvent... es) {
        for (ConnectorEvent e : es) {
            event(e);
        }
        return this;
    }

    /**
     * Collects the outputs; auto-granted member rows go back into the members input, as they do on
     * the broker (the policy writes them to the topic it reads), until nothing moves.
     */
    private PolicyDriver collect() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (var r : membersOut.readRecordsToList()) {
                memberRows.add(r.value());
                membersIn.pipeInput(r.key(), r.value(), r.timestamp());
                moved = true;
            }
            // so are content keys (the stream reads the key topic it writes)
            for (var r : keysOut.readRecordsToList()) {
                keyRecords.add(new org.apache.kafka.streams.KeyValue<>(r.key(), r.value()));
                if (r.value() == null) {
                    contentKeys.remove(r.key());
                } else {
                    contentKeys.put(r.key(), r.value());
                }
                keysIn.pipeInput(r.key(), r.value(), r.timestamp());
                moved = true;
            }
        }
        for (Delivery d : deliveriesOut.readValuesToList()) {
            sealedDeliveries.add(d);
            deliveries.add(d.sealed() == null ? d : d.opened(contentKeys.get(d.sealed().keyId())));
        }
        rooms.addAll(roomsOut.readValuesToList());
        greetings.addAll(greetingsOut.readValuesToList());
        audit.addAll(auditOut.readValuesToList());
        for (var kv : historyOut.readKeyValuesToList()) {
            historyRecords.add(kv);
            if (kv.value != null) {
                var sealed = kv.value.sealed();
                history.add(sealed == null ? kv.value : kv.value.opened(contentKeys.get(sealed.keyId())));
            }
        }
        checkpoints.addAll(checkpointsOut.readValuesToList());
        return this;
    }

    /** Lets wall-clock time pass (punctuations run), then collects. */
    PolicyDriver advanceWallClock(java.time.Duration d) {
        driver.advanceWallClockTime(d);
        return collect();
    }

    /** Tenants acme and globex, LINE on, member m1 granted in each, a room open with LINE user U1 in each. */
    PolicyDriver twoLineTenantsWithRooms() {
        return settings(Fixtures.settings("acme", Connector.LINE).build())
                .settings(Fixtures.settings("globex", Connector.LINE).build())
                .member(Fixtures.granted("acme", Connector.LINE, "m1", "tok-a", 1))
                .member(Fixtures.granted("globex", Connector.LINE, "m1", "tok-g", 1))
                .event(Fixtures.friendAdd("fa-a", "acme", "m1", "U1", "tok-a"))
                .event(Fixtures.friendAdd("fa-g", "globex", "m1", "U1", "tok-g"));
    }

    /** Forgets what was collected so far: "from now on". */
    PolicyDriver clearOutputs() {
        deliveries.clear();
        sealedDeliveries.clear();
        rooms.clear();
        greetings.clear();
        audit.clear();
        history.clear();
        historyRecords.clear();
        keyRecords.clear();
        memberRows.clear();
        checkpoints.clear();
        return this;
    }

    List<AuditRecord> audits(AuditKind kind) {
        return audit.stream().filter(a -> a.kind() == kind).toList();
    }

    AuditRecord auditFor(String eventId) {
        List<AuditRecord> found = audit.stream().filter(a -> eventId.equals(a.eventId())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one audit record for " + eventId + ", got " + found);
        }
        return found.get(0);
    }

    List<RoomCommand> rooms(RoomCommand.Action action) {
        return rooms.stream().filter(r -> r.action() == action).toList();
    }

    String openedRoomId(String eventId) {
        return rooms.stream().filter(r -> r.action() == RoomCommand.Action.OPENED && eventId.equals(r.causeId()))
                .map(RoomCommand::roomId).findFirst()
                .orElseThrow(() -> new AssertionError("no room opened by " + eventId + "; rooms: " + rooms));
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // temp dir; best effort
        }
    }
}
