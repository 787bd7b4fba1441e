package io.connectorgateway.local.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reading topics {@code read_committed}, the way the platform reads the outputs: a follower that
 * hands every committed record to a callback while the run goes on (and rides out the broker
 * restart), and a one-shot read of everything up to the end.
 */
final class TopicTail<V> implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private TopicTail(String bootstrap, List<String> topics, Deserializer<V> values, Consumer<ConsumerRecord<String, V>> sink) {
        this.thread = new Thread(() -> {
            try (KafkaConsumer<String, V> consumer = consumer(bootstrap, values)) {
                assignFromStart(consumer, topics);
                while (running.get()) {
                    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                        sink.accept(r);
                    }
                }
            }
        }, "fault-tail-" + topics.get(0));
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows {@code topics} from their start until closed. */
    static <V> TopicTail<V> follow(String bootstrap, List<String> topics, Deserializer<V> values,
                                   Consumer<ConsumerRecord<String, V>> sink) {
        return new TopicTail<>(bootstrap, topics, values, sink);
    }

    /** Every committed record of {@code topic}, up to its end now (the last stable offset). */
    static <V> List<ConsumerRecord<String, V>> readAll(String bootstrap, String topic, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = consumer(bootstrap, values)) {
            List<TopicPartition> parts = assignFromStart(consumer, List.of(topic));
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Set<TopicPartition> remaining = parts.stream().filter(tp -> end.get(tp) > 0).collect(Collectors.toSet());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            }
        }
        return out;
    }

    private static <V> KafkaConsumer<String, V> consumer(String bootstrap, Deserializer<V> values) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return new KafkaConsumer<>(c, new StringDeserializer(), values);
    }

    /** Assigned, not subscribed: no consumer group, nothing committed, reading starts at once. */
    private static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> consumer, List<String> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t, Duration.ofSeconds(60)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return parts;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
