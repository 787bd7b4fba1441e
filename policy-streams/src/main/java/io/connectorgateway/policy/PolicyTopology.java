package io.connectorgateway.policy;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.input.InputContract;
import io.connectorgateway.policy.input.PolicyInput;
import io.connectorgateway.policy.rules.AutoGrantRule;
import io.connectorgateway.policy.state.PolicyStores;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.ValueMapperWithKey;

/**
 * The enforcement topology (SPEC R1-R11), as a pure function of the topic catalogue.
 *
 * <pre>
 *  line.events  --validate--+
 *  works.events --validate--+
 *  settings     --validate--+--> [policy processor: 6 stores] --> deliveries, rooms, greetings,
 *  members      --validate--+      (one task per partition,         history, members (auto-grant),
 *  directory    --validate--+       its own tenants only)           audit (chained here, HMAC),
 *                                                                   audit.checkpoints
 *  audit.intake --validate--+
 * </pre>
 *
 * <p>Every input topic is partitioned by tenant ({@link io.connectorgateway.contracts.topic.TenantPartitioner}),
 * so partition {@code p} of each input holds everything about the tenants of {@code p} and
 * nothing else. One task per partition number reads partition {@code p} of all six inputs,
 * Kafka Streams merges them by timestamp, and the processor keeps the settings, members,
 * directory rows, rooms and de-duplication memory of those tenants only. Nothing is broadcast and
 * nothing is repartitioned. A record on another partition than its tenant's is dead-lettered with
 * the partition it belongs on (see README, "Partitioning").
 *
 * <p>The task is also the only writer of its tenants' audit chains: it links its own decisions and
 * the records other services put on {@code connector.audit.intake} into one chain per tenant,
 * in the same transaction as the decisions.
 */
public final class PolicyTopology {
    /**
     * How long a sealed event waits for the key that opens it before it is refused (or audited as a
     * duplicate of a copy decided meanwhile); wall-clock time of the task.
     */
    public static final java.time.Duration KEY_WAIT = PolicyProcessor.KEY_WAIT;
    public static final String PROCESSOR = "policy-processor";

    private PolicyTopology() {
    }

    /** The inputs of the policy task: all partitioned by tenant, all with the same partition count. */
    public static List<Topic<String, ?>> inputs(Topics topics) {
        return List.of(topics.lineEvents, topics.worksEvents, topics.settings, topics.members, topics.directoryEvents,
                topics.auditIntake, topics.contentKeys);
    }

    /** The policy processor over every input. */
    public static Topology build(Topics topics, PolicyOptions options) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, PolicyInput> line = events(builder, topics.lineEvents, Connector.LINE, "line");
        KStream<String, PolicyInput> works = events(builder, topics.worksEvents, Connector.WORKS, "works");
        KStream<String, PolicyInput> settings = input(builder, topics.settings, "settings",
                (k, v) -> new PolicyInput.Settings(InputContract.settings(k, v)));
        KStream<String, PolicyInput> members = input(builder, topics.members, "members",
                (k, v) -> new PolicyInput.Member(InputContract.member(k, v)));
        KStream<String, PolicyInput> directory = input(builder, topics.directoryEvents, "directory",
                (k, v) -> new PolicyInput.Directory(InputContract.directory(k, v)));
        KStream<String, PolicyInput> intake = input(builder, topics.auditIntake, "audit-intake",
                (k, v) -> new PolicyInput.Intake(InputContract.intake(k, v)));
        // Content keys, tombstones included: a sealed event is opened with the key its producer wrote
        // (and had acknowledged) before it. Read as bytes and parsed here, so a garbled key record is
        // logged and skipped rather than dead-lettered: key material never goes to the DLQ.
        KStream<String, PolicyInput> keys = builder.stream(topics.contentKeys.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("content-keys-source"))
                .filter((k, v) -> k != null, Named.as("content-keys-skip-unkeyed"))
                .<PolicyInput>mapValues((k, v) -> InputContract.contentKey(topics.contentKeys, k, v), Named.as("content-keys-read"))
                .filter((k, v) -> v != null, Named.as("content-keys-skip-unreadable"));

        PolicyStores.builders(topics, options.dedupRetention()).forEach(builder::addStateStore);
        AutoGrantRule autoGrant = new AutoGrantRule(options.autoGrantTokenSecret());
        int partitions = topics.partitions();

        KStream<String, PolicyOutput> out = line
                .merge(works, Named.as("merge-works"))
                .merge(settings, Named.as("merge-settings"))
                .merge(members, Named.as("merge-members"))
                .merge(directory, Named.as("merge-directory"))
                .merge(intake, Named.as("merge-audit-intake"))
                .merge(keys, Named.as("merge-content-keys"))
                .process(() -> new PolicyProcessor(autoGrant, partitions, options, topics.contentKeyCompactionMs() / 2),
                        Named.as(PROCESSOR),
                        PolicyStores.names().toArray(String[]::new));

        Map<String, KStream<String, PolicyOutput>> branches = out.split(Named.as("out-"))
                .branch((k, v) -> v instanceof PolicyOutput.ToDeliveries, Branched.as("deliveries"))
                .branch((k, v) -> v instanceof PolicyOutput.ToRooms, Branched.as("rooms"))
                .branch((k, v) -> v instanceof PolicyOutput.ToGreetings, Branched.as("greetings"))
                .branch((k, v) -> v instanceof PolicyOutput.ToAudit, Branched.as("audit"))
                .branch((k, v) -> v instanceof PolicyOutput.ToHistory, Branched.as("history"))
                .branch((k, v) -> v instanceof PolicyOutput.ToMembers, Branched.as("members"))
                .branch((k, v) -> v instanceof PolicyOutput.ToContentKeys, Branched.as("content-keys"))
                .branch((k, v) -> v instanceof PolicyOutput.ToCheckpoints, Branched.as("checkpoints"))
                .noDefaultBranch();
        sink(branches.get("out-deliveries"), topics.deliveries, "deliveries");
        sink(branches.get("out-rooms"), topics.rooms, "rooms");
        sink(branches.get("out-greetings"), topics.greetings, "greetings");
        sink(branches.get("out-audit"), topics.audit, "audit");
        sink(branches.get("out-history"), topics.history, "history");
        sink(branches.get("out-members"), topics.members, "members");
        sink(branches.get("out-content-keys"), topics.contentKeys, "content-keys");
        sink(branches.get("out-checkpoints"), topics.auditCheckpoints, "audit-checkpoints");
        return builder.build();
    }

    private static <V> KStream<String, PolicyInput> input(StreamsBuilder builder, Topic<String, V> topic, String name,
                                                          ValueMapperWithKey<String, V, PolicyInput> validate) {
        return builder.stream(topic.name(), consumed(topic, name + "-source"))
                .filter((k, v) -> v != null, Named.as(name + "-skip-tombstones"))
                .mapValues(validate, Named.as(name + "-validate"));
    }

    private static KStream<String, PolicyInput> events(StreamsBuilder builder, Topic<String, ConnectorEvent> topic,
                                                       Connector connector, String name) {
        return input(builder, topic, name + "-events", (k, v) -> new PolicyInput.Event(InputContract.event(connector, k, v)));
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /**
     * Every output goes to its tenant's partition, whatever its key (see {@link TenantStreamPartitioner});
     * the value is written with the topic's serde, a tombstone (null value) as a tombstone.
     */
    private static <V> void sink(KStream<String, PolicyOutput> branch, Topic<String, V> topic, String name) {
        Serializer<V> values = topic.valueSerde().serializer();
        @SuppressWarnings("unchecked")
        Serializer<PolicyOutput> unwrap = (t, o) -> o == null || o.value() == null ? null : values.serialize(t, (V) o.value());
        branch.to(topic.name(), Produced.with(topic.keySerde(), Serdes.serdeFrom(unwrap, (t, b) -> {
                    throw new UnsupportedOperationException("the policy stream only writes " + topic.name());
                }))
                .withStreamPartitioner(new TenantStreamPartitioner<>(PolicyOutput::tenant, PolicyOutput::partition)).withName("sink-" + name));
    }
}
