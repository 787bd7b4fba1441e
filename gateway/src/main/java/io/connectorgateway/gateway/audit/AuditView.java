package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.admin.AdminKafka;
import io.connectorgateway.gateway.view.GatewayView;
import io.connectorgateway.gateway.view.ViewTopology;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Audit search and tail over the {@code gateway-audit} store of a tenant's partition (the
 * {@link AuditIndex} the view application keeps from {@code connector.audit} and
 * {@code connector.history}). Requests are routed to the instance that owns the tenant first.
 * Tail cursors are offsets of the tenant's {@code connector.audit} partition, so they mean the
 * same on every instance.
 */
@Singleton
public final class AuditView {
    /** A tail answer: the matching records, where to continue, and whether records were missed. */
    public record TailPage(List<AuditRecord> records, Map<Integer, Long> cursor, boolean gap) {
    }

    private final GatewayView view;
    private final Topics topics;

    public AuditView(GatewayView view, AdminKafka kafka) {
        this.view = view;
        this.topics = kafka.topics();
    }

    private AuditIndex.Kv index(String tenant) {
        return AuditIndex.of(view.store(ViewTopology.AUDIT, tenant));
    }

    public AuditIndex.Page search(AuditQuery q, int limit, String cursor, int scanBudget) {
        var keyStore = view.store(ViewTopology.CONTENT_KEYS, q.tenant());
        var keySerde = topics.contentKeys.valueSerde().deserializer();
        return AuditIndex.search(index(q.tenant()), id -> {
            byte[] v = keyStore.get(id);
            return v == null ? null : keySerde.deserialize(topics.contentKeys.name(), v);
        }, q, limit, cursor, scanBudget);
    }

    /**
     * Audit records matching {@code q} at or after {@code cursor}, waiting up to {@code wait} for
     * the first one. Without a cursor, starts at the live end (the next offset the view will apply
     * on the tenant's audit partition). The store keeps every record, so nothing is ever missed:
     * {@code gap} is always false.
     */
    public TailPage tail(AuditQuery q, Map<Integer, Long> cursor, int limit, Duration wait) {
        int partition = view.partition(q.tenant());
        TopicPartition tp = new TopicPartition(topics.audit.name(), partition);
        if (cursor == null) {
            return new TailPage(List.of(), Map.of(partition, view.applied(ViewTopology.AUDIT, q.tenant(), tp)), false);
        }
        long from = cursor.getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            // The live end first: every record below it is in the store when the scan runs.
            long end = view.applied(ViewTopology.AUDIT, q.tenant(), tp);
            AuditIndex.TailPage page = AuditIndex.tail(index(q.tenant()), q, from, end, limit);
            long left = deadline - System.nanoTime();
            if (!page.records().isEmpty() || left <= 0) {
                return new TailPage(page.records(), Map.of(partition, page.next()), false);
            }
            from = page.next();
            view.await(Math.min(200, Math.max(1, left / 1_000_000)));
        }
    }
}
