package io.connectorgateway.policy;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.input.BroadcastPartitioner;
import io.connectorgateway.policy.input.ControlInputSerde;
import io.connectorgateway.policy.input.InputContract;
import io.connectorgateway.policy.input.PolicyInput;
import io.connectorgateway.policy.rules.AutoGrantRule;
import io.connectorgateway.policy.state.PolicyStores;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The enforcement topology (SPEC R1-R11), as a pure function of the topic catalogue.
 *
 * <pre>
 *  line.events  --validate--+
 *  works.events --validate--+--merge--> [policy processor + 5 stores] --split--> deliveries, rooms,
 *  settings  --validate--+                ^                                       greetings, audit,
 *  members   --validate--+--broadcast-----+  (policy-control-repartition,         history, members
 *  directory --validate--+                    every control record to every partition)
 * </pre>
 *
 * <p>Events are NOT repartitioned: they arrive keyed by their pair key, so all events of one
 * conversation are already on one partition, in source order. The low-volume control inputs are
 * multicast to every partition of one explicitly named internal topic, co-partitioned with the
 * event topics; so one processor per partition reads its event partitions and its control
 * partition, and Kafka Streams interleaves them by timestamp (see README for the trade-off).
 */
public final class PolicyTopology {
    /** Name part of the internal control topic: {@code <application.id>-policy-control-repartition}. */
    public static final String CONTROL_TOPIC = "policy-control";
    public static final String PROCESSOR = "policy-processor";

    private PolicyTopology() {
    }

    public static Topology build(Topics topics, PolicyOptions options) {
        StreamsBuilder builder = new StreamsBuilder();

        KStream<String, PolicyInput> line = events(builder, topics.lineEvents, Connector.LINE, "line");
        KStream<String, PolicyInput> works = events(builder, topics.worksEvents, Connector.WORKS, "works");

        KStream<String, PolicyInput> settings = builder
                .stream(topics.settings.name(), consumed(topics.settings, "settings-source"))
                .filter((k, v) -> v != null, Named.as("settings-skip-tombstones"))
                .mapValues((k, v) -> (PolicyInput) new PolicyInput.Settings(InputContract.settings(k, v)),
                        Named.as("settings-validate"));
        KStream<String, PolicyInput> members = builder
                .stream(topics.members.name(), consumed(topics.members, "members-source"))
                .filter((k, v) -> v != null, Named.as("members-skip-tombstones"))
                .mapValues((k, v) -> (PolicyInput) new PolicyInput.Member(InputContract.member(k, v)),
                        Named.as("members-validate"));
        KStream<String, PolicyInput> directory = builder
                .stream(topics.directoryEvents.name(), consumed(topics.directoryEvents, "directory-source"))
                .filter((k, v) -> v != null, Named.as("directory-skip-tombstones"))
                .flatMapValues((k, v) -> {
                    DirectoryEvent d = InputContract.directory(k, v);
                    return d.type() == DirectoryEvent.Type.JOINED
                            ? List.<PolicyInput>of(new PolicyInput.Directory(d), new PolicyInput.Joined(d))
                            : List.<PolicyInput>of(new PolicyInput.Directory(d));
                }, Named.as("directory-validate"));

        KStream<String, PolicyInput> control = settings
                .merge(members, Named.as("control-merge-members"))
                .merge(directory, Named.as("control-merge-directory"))
                .repartition(Repartitioned.<String, PolicyInput>as(CONTROL_TOPIC)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new ControlInputSerde(topics))
                        .withNumberOfPartitions(topics.lineEvents.partitions())
                        .withStreamPartitioner(new BroadcastPartitioner()));

        PolicyStores.builders(topics, options.dedupRetention()).forEach(builder::addStateStore);
        AutoGrantRule autoGrant = new AutoGrantRule(options.autoGrantTokenSecret());

        KStream<String, PolicyOutput> out = line
                .merge(works, Named.as("events-merge"))
                .merge(control, Named.as("events-merge-control"))
                .process(() -> new PolicyProcessor(autoGrant), Named.as(PROCESSOR),
                        PolicyStores.names().toArray(String[]::new));

        Map<String, KStream<String, PolicyOutput>> branches = out.split(Named.as("out-"))
                .branch((k, v) -> v instanceof PolicyOutput.ToDeliveries, Branched.as("deliveries"))
                .branch((k, v) -> v instanceof PolicyOutput.ToRooms, Branched.as("rooms"))
                .branch((k, v) -> v instanceof PolicyOutput.ToGreetings, Branched.as("greetings"))
                .branch((k, v) -> v instanceof PolicyOutput.ToAudit, Branched.as("audit"))
                .branch((k, v) -> v instanceof PolicyOutput.ToHistory, Branched.as("history"))
                .branch((k, v) -> v instanceof PolicyOutput.ToMembers, Branched.as("members"))
                .noDefaultBranch();
        sink(branches.get("out-deliveries"), topics.deliveries, "deliveries",
                v -> ((PolicyOutput.ToDeliveries) v).value());
        sink(branches.get("out-rooms"), topics.rooms, "rooms", v -> ((PolicyOutput.ToRooms) v).value());
        sink(branches.get("out-greetings"), topics.greetings, "greetings", v -> ((PolicyOutput.ToGreetings) v).value());
        sink(branches.get("out-audit"), topics.audit, "audit", v -> ((PolicyOutput.ToAudit) v).value());
        sink(branches.get("out-history"), topics.history, "history", v -> ((PolicyOutput.ToHistory) v).value());
        sink(branches.get("out-members"), topics.members, "members", v -> ((PolicyOutput.ToMembers) v).value());
        return builder.build();
    }

    private static KStream<String, PolicyInput> events(StreamsBuilder builder, Topic<String,
            io.connectorgateway.contracts.event.ConnectorEvent> topic, Connector connector, String name) {
        return builder.stream(topic.name(), consumed(topic, name + "-events-source"))
                .filter((k, v) -> v != null, Named.as(name + "-events-skip-tombstones"))
                .mapValues((k, v) -> (PolicyInput) new PolicyInput.Event(InputContract.event(connector, k, v)),
                        Named.as(name + "-events-validate"));
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <V> void sink(KStream<String, PolicyOutput> branch, Topic<String, V> topic, String name,
                                 Function<PolicyOutput, V> unwrap) {
        branch.mapValues(unwrap::apply, Named.as("unwrap-" + name))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName("sink-" + name));
    }
}
