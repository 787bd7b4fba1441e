package io.connectorgateway.gateway.admin;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What is committed on a partition past a given offset, read the way the view reads it
 * ({@code read_committed}, no group): the end of the last committed record there, so a writer can
 * wait until its view has applied everything committed before it checks a version against it.
 *
 * <p>Why it is needed: a write answered 503 after its commit (the view did not show it in time, a
 * client that gave up, a partition that moved to another instance) is on the topic all the same.
 * A retry that checked a view behind that record would give the next change the version the
 * earlier one already has. Issue 17's three-broker fault run found plan writes given versions
 * 268 and 270 twice that way.
 */
@Singleton
public final class CommittedTail implements AutoCloseable {
    private final Map<String, Object> config;
    private KafkaConsumer<byte[], byte[]> consumer;

    public CommittedTail(AdminKafka kafka) {
        Map<String, Object> c = new HashMap<>(kafka.environment().clientConfig());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-admin-tail");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.config = c;
    }

    /**
     * For each partition, the offset after the last committed record at or after its given offset,
     * or the given offset itself when nothing committed follows it (aborted records and
     * transaction markers do not count). Reads up to the partitions' last stable offsets as they
     * are now.
     *
     * @throws ApiException 503 when Kafka does not answer within {@code timeout}
     */
    public synchronized Map<TopicPartition, Long> committedEnds(Map<TopicPartition, Long> from, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            KafkaConsumer<byte[], byte[]> c = consumer();
            c.assign(from.keySet());
            Map<TopicPartition, Long> stable = c.endOffsets(from.keySet(), timeout);
            Map<TopicPartition, Long> ends = new HashMap<>(from);
            Set<TopicPartition> open = new java.util.HashSet<>();
            for (var e : from.entrySet()) {
                if (stable.get(e.getKey()) > e.getValue()) {
                    c.seek(e.getKey(), e.getValue());
                    open.add(e.getKey());
                }
            }
            c.pause(from.keySet());
            c.resume(open);
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw ApiException.unavailable("Kafka did not let the gateway read " + open + " in "
                            + timeout.toSeconds() + " s; retry");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < stable.get(tp)) {
                        ends.merge(tp, r.offset() + 1, Math::max);
                    }
                }
                for (TopicPartition tp : List.copyOf(open)) {
                    if (c.position(tp) >= stable.get(tp)) {
                        open.remove(tp);
                        c.pause(Set.of(tp));
                    }
                }
            }
            return ends;
        } catch (KafkaException e) {
            close();
            throw ApiException.unavailable("Kafka did not let the gateway read what is committed: " + e.getMessage());
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (KafkaException ignored) {
                // nothing more to release
            }
            consumer = null;
        }
    }
}
