package io.connectorgateway.gateway.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics (assigned, no consumer group: every gateway instance
 * materialises the whole view) on one thread and hands each batch to a view, then publishes how
 * far it got. That position is what makes read-your-writes possible: a writer knows the offset
 * its record got and {@link #awaitApplied waits} until the view has applied it.
 *
 * <p>Records are read {@code read_committed}: the policy stream writes transactionally, and an
 * aborted decision must never show up in a view.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String name;
    private final Map<String, Object> config;
    private final Collection<String> topics;
    private final Function<TopicPartition, Long> startOffsets;
    private final Consumer<ConsumerRecords<byte[], byte[]>> view;
    private final Object lock = new Object();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private Map<TopicPartition, Long> startupEnd;
    private boolean ready;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param startOffsets where to start a partition (the view's own checkpoint), or null for the beginning
     */
    public TopicFollower(String name, Map<String, Object> clientConfig, Collection<String> topics,
                         Function<TopicPartition, Long> startOffsets, Consumer<ConsumerRecords<byte[], byte[]>> view) {
        this.name = name;
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + Long.toHexString(System.nanoTime()));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.config = c;
        this.topics = List.copyOf(topics);
        this.startOffsets = startOffsets;
        this.view = view;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(60));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            if (startOffsets != null) {
                for (TopicPartition tp : partitions) {
                    Long offset = startOffsets.apply(tp);
                    if (offset != null) {
                        c.seek(tp, offset);
                    }
                }
            }
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            synchronized (lock) {
                startupEnd = end;
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    try {
                        view.accept(records);
                    } catch (RuntimeException e) {
                        // A view bug must not stop the view for good; the records are logged and skipped.
                        LOG.error("{}: a batch of {} records could not be applied", name, records.count(), e);
                    }
                }
                publish(c, partitions);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = new IllegalStateException(name + " woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("{} stopped", name, e);
            failure = e;
        } finally {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void publish(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : partitions) {
            now.put(tp, c.position(tp));
        }
        synchronized (lock) {
            positions.putAll(now);
            if (!ready && startupEnd != null) {
                ready = startupEnd.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
                if (ready) {
                    LOG.info("{} caught up with {}", name, topics);
                }
            }
            lock.notifyAll();
        }
    }

    /** Waits until the view holds everything that was on its topics when it started. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!ready) {
                checkAlive();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Waits until the record at each given offset has been applied to the view. */
    public boolean awaitApplied(Map<TopicPartition, Long> offsets, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!offsets.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) > e.getValue())) {
                checkAlive();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    public Map<TopicPartition, Long> positions() {
        synchronized (lock) {
            return Map.copyOf(positions);
        }
    }

    private void checkAlive() {
        if (failure != null) {
            throw new IllegalStateException(name + " is not running: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
