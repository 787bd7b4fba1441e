package io.connectorgateway.policy.auditchain;

import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The single writer of {@code connector.audit}: reads what every service wrote to
 * {@code connector.audit.intake} (keyed by tenant, so one task owns a tenant) and appends it to
 * the tenant's hash chain.
 *
 * <p>The last hash of each tenant lives in a changelogged store that commits in the same
 * exactly-once transaction as the output, so an aborted transaction rolls the head back with the
 * records it did not write: the chain never forks or skips.
 */
public final class AuditChainTopology {
    public static final String HEADS_STORE = "audit-chain-heads";

    private AuditChainTopology() {
    }

    public static Topology build(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: the head of a busy tenant changes with every record, but only its value at the
        // commit matters. The cache collapses those puts to one changelog record per tenant per
        // commit (flushed inside the same transaction, so exactly-once holds), instead of one
        // changelog write per audit record: without it, that changelog was one of the six records
        // the stack writes per message (see docs/benchmarks.md).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADS_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        builder.stream(topics.auditIntake.name(), Consumed.with(topics.auditIntake.keySerde(), topics.auditIntake.valueSerde())
                        .withName("audit-intake-source"))
                .filter((tenant, record) -> record != null, Named.as("audit-intake-drop-tombstones"))
                .processValues(Linker::new, Named.as("audit-chain-link"), HEADS_STORE)
                .to(topics.audit.name(), Produced.with(topics.audit.keySerde(), topics.audit.valueSerde())
                        .withName("audit-chain-sink"));
        return builder.build();
    }

    /** Links each record after the previous one of its tenant. */
    static final class Linker implements FixedKeyProcessor<String, AuditRecord, AuditRecord> {
        private FixedKeyProcessorContext<String, AuditRecord> context;
        private KeyValueStore<String, String> heads;

        @Override
        public void init(FixedKeyProcessorContext<String, AuditRecord> context) {
            this.context = context;
            this.heads = context.getStateStore(HEADS_STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, AuditRecord> record) {
            AuditRecord audit = record.value();
            // One chain per tenant needs one writer per tenant: intake is keyed by tenant, so one
            // task owns each tenant. A record keyed otherwise could fork its tenant's chain over two
            // partitions; it is refused (the DLQ handler keeps it, with this reason).
            String tenant = audit.tenant();
            if (!tenant.equals(record.key())) {
                throw new IllegalArgumentException("audit record " + audit.auditId() + " of tenant " + tenant
                        + " arrived keyed '" + record.key() + "'; connector.audit.intake must be keyed by tenant");
            }
            AuditRecord linked = AuditChain.link(heads.get(tenant), audit);
            heads.put(tenant, linked.hash());
            context.forward(record.withValue(linked));
        }
    }
}
