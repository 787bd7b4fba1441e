package io.connectorgateway.local.fault;

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
import io.connectorgateway.policy.PolicyTopology;
import io.connectorgateway.policy.app.PolicyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What the policy should have decided: the same {@link PolicyTopology} (the production rule code)
 * in one {@link TopologyTestDriver}, one thread, one partition, fed every input record of the run
 * (events, settings, members, directory, audit intake, content keys) in record-timestamp order. No broker, no
 * crash, no rebalance: whatever the live run decided differently was caused by a fault. Its audit
 * records are chained under its own application id, so compare them without the chain fields.
 */
final class ReferenceModel {
    private static final String APP = "fault-reference";

    /** One input record as it is on the broker. */
    record Input(Object value, long timestamp, long order) {
    }

    /** Everything the policy writes, in the order the reference wrote it. */
    record Outputs(List<Delivery> deliveries, List<RoomCommand> rooms, List<GreetingCommand> greetings,
                   List<AuditRecord> audit, List<HistoryEntry> history) {
    }

    private ReferenceModel() {
    }

    static Outputs replay(List<Input> inputs, String tokenSecret) throws Exception {
        Path state = Files.createTempDirectory("fault-reference");
        // one partition: every tenant's partition is 0, so the one task holds every tenant
        Topics topics = new Topics("", 1, (short) 1);
        PolicyConfig config = PolicyConfig.fromEnvironment(Map.of("POLICY_APPLICATION_ID", APP,
                "AUDIT_CHAIN_KEYS", io.connectorgateway.testsupport.TestAuditKeys.KEYS,
                "POLICY_TOKEN_SECRET", tokenSecret, "POLICY_STATE_DIR", state.toString(),
                // one record at a time, processed at once: nothing to wait for
                "POLICY_MAX_TASK_IDLE_MS", "-1"));
        Properties props = config.streamsProperties();
        props.put("bootstrap.servers", "unused:9092");
        List<Input> ordered = new ArrayList<>(inputs);
        ordered.sort(Comparator.comparingLong(Input::timestamp).thenComparingLong(Input::order));
        try (TopologyTestDriver policy = new TopologyTestDriver(PolicyTopology.build(topics, config.options()), props)) {
            TestInputTopic<String, TenantSettings> settingsIn = in(policy, topics.settings);
            TestInputTopic<String, ConnectedMember> membersIn = in(policy, topics.members);
            TestInputTopic<String, DirectoryEvent> directoryIn = in(policy, topics.directoryEvents);
            TestInputTopic<String, AuditRecord> intakeIn = in(policy, topics.auditIntake);
            TestInputTopic<String, ConnectorEvent> line = in(policy, topics.lineEvents);
            TestInputTopic<String, ConnectorEvent> works = in(policy, topics.worksEvents);
            TestOutputTopic<String, ConnectedMember> membersOut = out(policy, topics.members);
            TestInputTopic<String, io.connectorgateway.contracts.content.ContentKey> keysIn = in(policy, topics.contentKeys);
            TestOutputTopic<String, io.connectorgateway.contracts.content.ContentKey> keysOut = out(policy, topics.contentKeys);
            for (Input input : ordered) {
                Object v = input.value();
                if (v instanceof TenantSettings s) {
                    settingsIn.pipeInput(s.key(), s, input.timestamp());
                } else if (v instanceof ConnectedMember m) {
                    membersIn.pipeInput(m.key(), m, input.timestamp());
                } else if (v instanceof DirectoryEvent d) {
                    directoryIn.pipeInput(d.key(), d, input.timestamp());
                } else if (v instanceof AuditRecord a) {
                    intakeIn.pipeInput(a.tenant(), a, input.timestamp());
                } else if (v instanceof io.connectorgateway.contracts.content.ContentKey k) {
                    keysIn.pipeInput(k.id(), k, input.timestamp());
                } else if (v instanceof ConnectorEvent e) {
                    (e.connector() == io.connectorgateway.contracts.Connector.LINE ? line : works)
                            .pipeInput(e.pairKey(), e, input.timestamp());
                } else {
                    throw new IllegalArgumentException("not a policy input: " + v);
                }
                // auto-granted member rows go back into the members input, as on the broker (the
                // policy writes them to the topic it reads), until nothing moves; as policy-streams'
                // PolicyDriver does (a test class of another module, so not shared)
                boolean moved = true;
                while (moved) {
                    moved = false;
                    for (var r : membersOut.readRecordsToList()) {
                        membersIn.pipeInput(r.key(), r.value(), r.timestamp());
                        moved = true;
                    }
                    for (var r : keysOut.readRecordsToList()) { // so do content keys
                        keysIn.pipeInput(r.key(), r.value(), r.timestamp());
                        moved = true;
                    }
                }
            }
            // copies still waiting for their key are judged as the live task judges them after
            // KEY_WAIT on its wall clock (refused, or a duplicate of the copy decided meanwhile)
            policy.advanceWallClockTime(io.connectorgateway.policy.PolicyTopology.KEY_WAIT.plusSeconds(30));
            return new Outputs(out(policy, topics.deliveries).readValuesToList(), out(policy, topics.rooms).readValuesToList(),
                    out(policy, topics.greetings).readValuesToList(), out(policy, topics.audit).readValuesToList(),
                    out(policy, topics.history).readValuesToList());
        } finally {
            try (var walk = Files.walk(state)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static <V> TestInputTopic<String, V> in(TopologyTestDriver d, Topic<String, V> t) {
        return d.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private static <V> TestOutputTopic<String, V> out(TopologyTestDriver d, Topic<String, V> t) {
        return d.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }
}
