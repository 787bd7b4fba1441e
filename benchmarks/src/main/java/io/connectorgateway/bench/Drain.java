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
 * Measures how fast a consumer group commits its way to the end of a pre-loaded input topic, and
 * the CPU spent meanwhile by the service's JVM plus this one (which hosts the broker). Committed
 * offsets are read through Admin, so the measurement adds no consumer of the outputs to the load.
 *
 * <p>The window opens once the group has committed {@link #WARM_UP_SHARE} of the input, not at the
 * process start: JVM start-up, the group join, state restoration and JIT
 * compilation are one-off costs that would otherwise dominate a short run, and differ between the
 * subjects for reasons unrelated to their steady-state throughput.
 */
final class Drain {
    /** Share of the input drained before the measured window opens (warm-up). */
    static final double WARM_UP_SHARE = 0.2;

    private Drain() {
    }

    /**
     * {@code events} committed in {@code wallNanos}, costing {@code cpuNanos} (service and broker
     * JVMs) of which {@code serviceCpuNanos} in the service's JVM; peak RSS of the service; and
     * how many offsets the service wrote per input event over the whole drain (outputs, changelogs,
     * repartition topics, plus one transaction marker per partition per commit).
     */
    record Measurement(long events, long wallNanos, long cpuNanos, long serviceCpuNanos, double peakRssMib,
                       double writtenPerEvent) {
        double serviceCpuMicrosPerEvent() {
            return serviceCpuNanos / 1e3 / events;
        }

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

    /** Waits until {@code groupId} of the running {@code service} committed the end of {@code topic}. */
    static Measurement await(Admin admin, String topic, String groupId, ChildJvm service, Duration limit) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(admin, topic);
        long target = end.values().stream().mapToLong(Long::longValue).sum();
        long written0 = writtenOffsets(admin, topic);
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        long lastPrint = started;
        long t0 = -1;
        long c0 = 0;
        long cpu0 = 0;
        long serviceCpu0 = 0;
        while (true) {
            service.checkAlive();
            long committed = committed(admin, groupId, end);
            long now = System.nanoTime();
            if (t0 < 0 && committed >= WARM_UP_SHARE * target) {
                t0 = now;
                c0 = committed;
                serviceCpu0 = service.cpuNanos();
                cpu0 = processCpuNanos() + serviceCpu0;
            }
            if (committed >= target && t0 >= 0) {
                long serviceCpu = service.cpuNanos();
                long cpu = processCpuNanos() + serviceCpu - cpu0;
                if (committed == c0) {
                    throw new IllegalStateException(groupId + " committed everything at once; pre-load more events");
                }
                double written = (writtenOffsets(admin, topic) - written0) / (double) target;
                return new Measurement(target - c0, now - t0, cpu, serviceCpu - serviceCpu0, service.peakRssMib(), written);
            }
            if (now > deadline) {
                throw new IllegalStateException(groupId + " drained only " + committed + " of " + target + " within " + limit);
            }
            if (now - lastPrint > 10_000_000_000L) {
                System.out.printf("    %s: %,d / %,d committed%n", groupId, committed, target);
                lastPrint = now;
            }
            Thread.sleep(20);
        }
    }

    /**
     * The sum of the end offsets of every topic but {@code input} and Kafka's own ({@code __*}).
     * Only the subject under test writes while it drains, so the growth is what it wrote.
     */
    static long writtenOffsets(Admin admin, String input) throws Exception {
        long sum = 0;
        for (String t : admin.listTopics().names().get()) {
            if (!t.equals(input) && !t.startsWith("__")) {
                sum += endOffsets(admin, t).values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return sum;
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var desc = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> req = desc.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    static long committed(Admin admin, String groupId, Map<TopicPartition, Long> end) throws Exception {
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
