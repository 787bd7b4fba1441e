package io.connectorgateway.policy;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.input.BroadcastPartitioner;
import io.connectorgateway.policy.input.ControlInputSerde;
import io.connectorgateway.policy.input.InputContract;
import io.connectorgateway.policy.input.PolicyInput;
import io.connectorgateway.policy.rules.AutoGrantRule;
import io.connectorgateway.policy.state.PolicyStores;
import java.time.Duration;
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

/**
 * The enforcement topology (SPEC R1-R11), as two pure functions of the topic catalogue.
 *
 * <pre>
 *  settings  --validate--+                                   line.events  --validate--+
 *  members   --validate--+--> broadcaster --> control topics --------------------------+--> [policy processor] --> deliveries,
 *  directory --validate--+    (task r writes control topic r;  works.events --validate--+     + 5 stores           rooms, greetings,
 *                              every record to every partition,                                                    audit, history, members
 *                              JOINED to one)
 * </pre>
 *
 * <p>Events are never repartitioned: they arrive keyed by their pair key, so one conversation is
 * on one partition, in source order. The few control records are multicast by a separate small
 * application, the {@linkplain #broadcaster broadcaster}, to every partition of the control topics,
 * which are co-partitioned with the event topics. One processor per partition then reads its event
 * partitions and its control partition, and Kafka Streams interleaves them by timestamp.
 *
 * <p>Why two applications rather than one with a repartition topic: Kafka Streams orders a task's
 * inputs by timestamp only for records that are on the broker; a task that finds an input empty
 * waits {@code max.task.idle.ms} and then goes on without it. In one application the control hop
 * idles under the same setting as the policy task and loses that race on a replay. As a separate
 * application it never idles and the runner lets it catch up before the policy starts (see README).
 */
public final class PolicyTopology {
    public static final String PROCESSOR = "policy-processor";
    /** How long control records are kept; at least as long as events, so a replay sees them all. */
    static final Duration CONTROL_RETENTION = Duration.ofDays(7);

    private PolicyTopology() {
    }

    /**
     * The control topics of the application {@code applicationId}: one per partition of the
     * control source topics, each with as many partitions as the event topics. Broadcaster task
     * {@code r} (settings / members / directory partition {@code r}) is the only writer of control
     * topic {@code r}, so each control partition is in timestamp order, and the policy task that
     * reads partition {@code p} of all of them merges them by timestamp. Per application id, so a
     * replay under a new id rebuilds them from the source topics instead of sharing the old ones.
     */
    public static List<Topic<String, PolicyInput>> controlTopics(Topics topics, String applicationId) {
        List<Topic<String, PolicyInput>> out = new java.util.ArrayList<>();
        for (int r = 0; r < topics.settings.partitions(); r++) {
            out.add(new Topic<>(controlTopicName(applicationId, r), Serdes.String(), new ControlInputSerde(topics),
                    topics.lineEvents.partitions(), Map.of("cleanup.policy", "delete",
                    "retention.ms", Long.toString(CONTROL_RETENTION.toMillis()),
                    "min.insync.replicas", Integer.toString(Math.min(2, topics.replicationFactor())))));
        }
        return List.copyOf(out);
    }

    static String controlTopicName(String applicationId, int sourcePartition) {
        return applicationId + "-policy-control-" + sourcePartition;
    }

    /** Settings, members and directory, validated and multicast to every partition of the control topics. */
    public static Topology broadcaster(Topics topics, String applicationId) {
        if (topics.members.partitions() != topics.settings.partitions()
                || topics.directoryEvents.partitions() != topics.settings.partitions()) {
            throw new IllegalArgumentException("settings, members and directory topics need the same partition count");
        }
        StreamsBuilder builder = new StreamsBuilder();
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
        Topic<String, PolicyInput> shape = controlTopics(topics, applicationId).get(0);
        settings.merge(members, Named.as("control-merge-members"))
                .merge(directory, Named.as("control-merge-directory"))
                .to((key, value, context) -> controlTopicName(applicationId, context.partition()),
                        Produced.with(shape.keySerde(), shape.valueSerde())
                                .withStreamPartitioner(new BroadcastPartitioner()).withName("control-broadcast"));
        return builder.build();
    }

    /** The policy processor over the event topics and the control topic. */
    public static Topology build(Topics topics, String applicationId, PolicyOptions options) {
        List<Topic<String, PolicyInput>> control = controlTopics(topics, applicationId);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, PolicyInput> line = events(builder, topics.lineEvents, Connector.LINE, "line");
        KStream<String, PolicyInput> works = events(builder, topics.worksEvents, Connector.WORKS, "works");
        KStream<String, PolicyInput> controlIn = builder.stream(control.stream().map(Topic::name).toList(),
                Consumed.with(control.get(0).keySerde(), control.get(0).valueSerde()).withName("control-source"));

        PolicyStores.builders(topics, options.dedupRetention()).forEach(builder::addStateStore);
        AutoGrantRule autoGrant = new AutoGrantRule(options.autoGrantTokenSecret());

        KStream<String, PolicyOutput> out = line
                .merge(works, Named.as("events-merge"))
                .merge(controlIn, Named.as("events-merge-control"))
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
                v -> ((PolicyOutput.ToDeliveries) v).value(), d -> d.tenant());
        sink(branches.get("out-rooms"), topics.rooms, "rooms", v -> ((PolicyOutput.ToRooms) v).value(), r -> r.tenant());
        sink(branches.get("out-greetings"), topics.greetings, "greetings", v -> ((PolicyOutput.ToGreetings) v).value(),
                g -> g.tenant());
        sink(branches.get("out-audit"), topics.auditIntake, "audit", v -> ((PolicyOutput.ToAudit) v).value(),
                a -> a.tenant());
        sink(branches.get("out-history"), topics.history, "history", v -> ((PolicyOutput.ToHistory) v).value(),
                h -> h.tenant());
        sink(branches.get("out-members"), topics.members, "members", v -> ((PolicyOutput.ToMembers) v).value(),
                m -> m.tenant());
        return builder.build();
    }

    private static KStream<String, PolicyInput> events(StreamsBuilder builder, Topic<String, ConnectorEvent> topic,
                                                       Connector connector, String name) {
        return builder.stream(topic.name(), consumed(topic, name + "-events-source"))
                .filter((k, v) -> v != null, Named.as(name + "-events-skip-tombstones"))
                .mapValues((k, v) -> (PolicyInput) new PolicyInput.Event(InputContract.event(connector, k, v)),
                        Named.as(name + "-events-validate"));
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Every output goes to its tenant's partition, whatever its key (see {@link TenantStreamPartitioner}). */
    private static <V> void sink(KStream<String, PolicyOutput> branch, Topic<String, V> topic, String name,
                                 Function<PolicyOutput, V> unwrap, Function<V, String> tenantOf) {
        branch.mapValues(unwrap::apply, Named.as("unwrap-" + name))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde())
                        .withStreamPartitioner(new TenantStreamPartitioner<>(tenantOf)).withName("sink-" + name));
    }
}
