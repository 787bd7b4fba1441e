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
import io.connectorgateway.policy.input.PolicyInput;
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
 * What the policy should have decided: the same {@link PolicyTopology} (broadcaster and policy,
 * the production rule code) in two {@link TopologyTestDriver}s, one thread, one partition, fed
 * every input record of the run in record-timestamp order. No broker, no crash, no rebalance:
 * whatever the live run decided differently was caused by a fault.
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

    static Outputs replay(List<Input> inputs, int partitions, String tokenSecret) throws Exception {
        Path state = Files.createTempDirectory("fault-reference");
        Topics topics = new Topics("", partitions, (short) 1);
        PolicyConfig config = PolicyConfig.fromEnvironment(Map.of("POLICY_APPLICATION_ID", APP,
                "POLICY_TOKEN_SECRET", tokenSecret, "POLICY_STATE_DIR", state.toString(),
                // one record at a time, processed at once: nothing to wait for
                "POLICY_MAX_TASK_IDLE_MS", "-1"));
        Properties policyProps = config.streamsProperties();
        policyProps.put("bootstrap.servers", "unused:9092");
        Properties broadcasterProps = config.broadcasterProperties();
        broadcasterProps.put("bootstrap.servers", "unused:9092");
        // one partition: broadcaster task 0 writes control topic 0, the only one the policy driver is fed
        Topic<String, PolicyInput> control = PolicyTopology.controlTopics(topics, APP).get(0);
        List<Input> ordered = new ArrayList<>(inputs);
        ordered.sort(Comparator.comparingLong(Input::timestamp).thenComparingLong(Input::order));
        try (TopologyTestDriver broadcaster = new TopologyTestDriver(PolicyTopology.broadcaster(topics, APP), broadcasterProps);
             TopologyTestDriver policy = new TopologyTestDriver(PolicyTopology.build(topics, APP, config.options()), policyProps)) {
            TestInputTopic<String, TenantSettings> settingsIn = in(broadcaster, topics.settings);
            TestInputTopic<String, ConnectedMember> membersIn = in(broadcaster, topics.members);
            TestInputTopic<String, DirectoryEvent> directoryIn = in(broadcaster, topics.directoryEvents);
            TestOutputTopic<String, PolicyInput> controlOut = broadcaster.createOutputTopic(control.name(),
                    control.keySerde().deserializer(), control.valueSerde().deserializer());
            TestInputTopic<String, PolicyInput> controlIn = in(policy, control);
            TestInputTopic<String, ConnectorEvent> line = in(policy, topics.lineEvents);
            TestInputTopic<String, ConnectorEvent> works = in(policy, topics.worksEvents);
            TestOutputTopic<String, ConnectedMember> membersOut = out(policy, topics.members);
            for (Input input : ordered) {
                Object v = input.value();
                if (v instanceof TenantSettings s) {
                    settingsIn.pipeInput(s.key(), s, input.timestamp());
                } else if (v instanceof ConnectedMember m) {
                    membersIn.pipeInput(m.key(), m, input.timestamp());
                } else if (v instanceof DirectoryEvent d) {
                    directoryIn.pipeInput(d.key(), d, input.timestamp());
                } else if (v instanceof ConnectorEvent e) {
                    (e.connector() == io.connectorgateway.contracts.Connector.LINE ? line : works)
                            .pipeInput(e.pairKey(), e, input.timestamp());
                } else {
                    throw new IllegalArgumentException("not a policy input: " + v);
                }
                // carry control records (and auto-granted member rows) across until nothing moves,
                // as policy-streams' PolicyDriver does (a test class of another module, so not shared)
                boolean moved = true;
                while (moved) {
                    moved = false;
                    for (var r : controlOut.readRecordsToList()) {
                        controlIn.pipeInput(r.key(), r.value(), r.timestamp());
                        moved = true;
                    }
                    for (var r : membersOut.readRecordsToList()) {
                        membersIn.pipeInput(r.key(), r.value(), r.timestamp());
                        moved = true;
                    }
                }
            }
            return new Outputs(out(policy, topics.deliveries).readValuesToList(), out(policy, topics.rooms).readValuesToList(),
                    out(policy, topics.greetings).readValuesToList(), out(policy, topics.auditIntake).readValuesToList(),
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
