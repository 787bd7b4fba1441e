package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.admin.AdminKafka;
import io.connectorgateway.gateway.admin.TopicFollower;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code connector.audit} and {@code connector.history} into the {@link AuditStore}, and
 * keeps the most recent audit records in memory, with their partition and offset, for
 * {@code audit:tail}. Tail cursors are Kafka offsets, so they mean the same on every instance.
 */
@Context
public final class AuditView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditView.class);

    /** An audit record as it arrived: where it was on the topic. */
    public record Tailed(int partition, long offset, AuditRecord record) {
    }

    /** A tail answer: the matching records, where to continue, and whether records were missed. */
    public record TailPage(List<AuditRecord> records, Map<Integer, Long> cursor, boolean gap) {
    }

    private final Topics topics;
    private final AuditStore store;
    private final Path tempDir;
    private final int bufferSize;
    private final ArrayDeque<Tailed> recent = new ArrayDeque<>();
    /** Per audit partition: the offset after the last record applied, and below which the buffer no longer holds. */
    private final Map<Integer, Long> next = new HashMap<>();
    private final Map<Integer, Long> evictedBelow = new HashMap<>();
    private final TopicFollower follower;

    public AuditView(AdminKafka kafka, AuditConfig config) throws IOException, RocksDBException {
        this.topics = kafka.topics();
        this.bufferSize = config.tailBuffer();
        Path dir;
        if (config.stateDir() == null || config.stateDir().isBlank()) {
            tempDir = Files.createTempDirectory("connector-audit-store");
            dir = tempDir;
        } else {
            tempDir = null;
            dir = Path.of(config.stateDir()).resolve(topics.prefix().isEmpty() ? "default" : topics.prefix());
        }
        this.store = new AuditStore(dir);
        this.follower = new TopicFollower("audit-view", kafka.environment().clientConfig(),
                List.of(topics.audit.name(), topics.history.name()),
                tp -> store.checkpoint(tp.topic() + '|' + tp.partition()), this::apply).start();
    }

    private void apply(ConsumerRecords<byte[], byte[]> batch) {
        List<AuditRecord> audits = new ArrayList<>();
        List<Tailed> tailed = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        Map<String, Long> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            offsets.put(r.topic() + '|' + r.partition(), r.offset() + 1);
            if (r.value() == null) {
                continue;
            }
            try {
                if (r.topic().equals(topics.audit.name())) {
                    AuditRecord a = topics.audit.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    audits.add(a);
                    tailed.add(new Tailed(r.partition(), r.offset(), a));
                } else {
                    history.add(topics.history.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            } catch (RuntimeException e) {
                LOG.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        try {
            store.apply(audits, history, offsets);
        } catch (RocksDBException e) {
            throw new IllegalStateException("audit store write failed", e);
        }
        synchronized (recent) {
            for (Tailed t : tailed) {
                recent.addLast(t);
                next.merge(t.partition(), t.offset() + 1, Math::max);
                if (recent.size() > bufferSize) {
                    Tailed old = recent.removeFirst();
                    evictedBelow.merge(old.partition(), old.offset() + 1, Math::max);
                }
            }
            recent.notifyAll();
        }
    }

    public AuditStore.Page search(AuditQuery q, int limit, String cursor, int scanBudget) {
        return store.search(q, limit, cursor, scanBudget);
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return follower.awaitReady(timeout);
    }

    /**
     * Audit records matching {@code q} that arrived at or after {@code cursor}, waiting up to
     * {@code wait} for the first one. Without a cursor, starts at the live end.
     */
    public TailPage tail(AuditQuery q, Map<Integer, Long> cursor, int limit, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (recent) {
            if (cursor == null) {
                // The live end: everything consumed so far, also what this instance consumed before a
                // restart (its buffer starts empty then), so the cursor is right on any instance.
                Map<Integer, Long> live = new HashMap<>(next);
                follower.positions().forEach((tp, offset) -> {
                    if (tp.topic().equals(topics.audit.name())) {
                        live.merge(tp.partition(), offset, Math::max);
                    }
                });
                return new TailPage(List.of(), live, false);
            }
            while (true) {
                List<AuditRecord> out = new ArrayList<>();
                Map<Integer, Long> newCursor = new HashMap<>(cursor);
                next.forEach((p, o) -> newCursor.merge(p, o, Math::max));
                boolean gap = cursor.entrySet().stream()
                        .anyMatch(e -> evictedBelow.getOrDefault(e.getKey(), 0L) > e.getValue());
                for (Tailed t : recent) {
                    if (t.offset() < cursor.getOrDefault(t.partition(), 0L) || !q.matches(t.record())) {
                        continue;
                    }
                    if (out.size() < limit) {
                        out.add(t.record());
                    } else {
                        // Not returned this time: the next request starts at it.
                        newCursor.merge(t.partition(), t.offset(), Math::min);
                    }
                }
                long left = deadline - System.nanoTime();
                if (!out.isEmpty() || left <= 0) {
                    return new TailPage(out, newCursor, gap);
                }
                recent.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        follower.close();
        store.close();
        if (tempDir != null) {
            try (var files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warn("could not delete the temporary audit store {}", tempDir, e);
            }
        }
    }
}
