package io.connectorgateway.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures how long a consumer group takes to commit its way to the end of an input topic, and
 * the CPU the whole process spent meanwhile. Committed offsets are read through Admin, so the
 * measurement adds no consumer of the outputs to the load.
 */
final class Drain {
    private Drain() {
    }

    record Measurement(long events, long wallNanos, long cpuNanos) {
        double eventsPerSecond() {
            return events / (wallNanos / 1e9);
        }

        double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Starts {@code subject}, waits until {@code groupId} committed the end of {@code topic}, stops it. */
    static Measurement run(Admin admin, String topic, String groupId, long events, AutoCloseable subject,
                           Runnable start, Duration limit) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(admin, topic);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        start.run();
        long deadline = t0 + limit.toNanos();
        long lastPrint = t0;
        try {
            while (true) {
                long committed = committed(admin, groupId, end);
                long target = end.values().stream().mapToLong(Long::longValue).sum();
                long now = System.nanoTime();
                if (committed >= target) {
                    return new Measurement(events, now - t0, processCpuNanos() - cpu0);
                }
                if (now > deadline) {
                    throw new IllegalStateException(groupId + " drained only " + committed + " of " + target + " within " + limit);
                }
                if (now - lastPrint > 5_000_000_000L) {
                    System.out.printf("    %s: %,d / %,d committed%n", groupId, committed, target);
                    lastPrint = now;
                }
                Thread.sleep(50);
            }
        } finally {
            subject.close();
        }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var desc = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> req = desc.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static long committed(Admin admin, String groupId, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (TopicPartition tp : end.keySet()) {
            OffsetAndMetadata o = offsets.get(tp);
            // A transactional commit marker occupies one offset past the last record; cap at end.
            sum += o == null ? 0 : Math.min(o.offset(), end.get(tp));
        }
        return sum;
    }
}
