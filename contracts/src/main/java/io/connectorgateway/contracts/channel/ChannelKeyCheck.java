package io.connectorgateway.contracts.channel;

import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The start-up check of every service that opens channel secrets: the configured keys must open
 * what is on {@code connector.channels}. It opens the newest records of each partition (the last
 * {@value #TAIL} offsets, whatever the tenants: no tenant's state is loaded), so a service started with a
 * wrong key, or without a key that records are still sealed under, refuses to start with a message
 * naming the key instead of answering every webhook 401 later.
 */
public final class ChannelKeyCheck {
    /** How many offsets from the end of each partition are read. */
    static final int TAIL = 16;

    private ChannelKeyCheck() {
    }

    /**
     * @param clientConfig Kafka client settings (bootstrap servers, security)
     * @throws IllegalStateException naming the key that is missing or wrong, and the record
     */
    public static void verify(ChannelSealer sealer, Topics topics, Map<String, Object> clientConfig, Duration timeout) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        String topic = topics.channels.name();
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return; // the topic does not exist yet: nothing sealed to check
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            List<TopicPartition> toRead = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (end.get(tp) > begin.get(tp)) {
                    toRead.add(tp);
                }
            }
            if (toRead.isEmpty()) {
                return;
            }
            consumer.assign(toRead);
            // the newest records: the admin writes transactionally, so every other offset is a commit marker
            toRead.forEach(tp -> consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - TAIL)));
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> pending = new ArrayList<>(toRead);
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    check(sealer, topics, r);
                }
                // a partition whose last offset is a transaction marker has nothing more to give
                pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read " + topic + " to check " + ChannelSealer.ENV + ": " + e.getMessage(), e);
        }
    }

    private static void check(ChannelSealer sealer, Topics topics, ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        ChannelBinding b;
        try {
            b = topics.channels.valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException unreadable) {
            return; // not a key problem; the view logs and skips it
        }
        b.channels().forEach(ch -> {
            try {
                sealer.open(ch.sealed(), ChannelBinding.associatedData(b.tenant(), b.connector(), b.memberId(), ch.channelId()));
            } catch (ChannelSealer.SealException e) {
                throw new IllegalStateException(ChannelSealer.ENV + " cannot open the channel secrets on " + r.topic() + " (record "
                        + r.partition() + "@" + r.offset() + ", tenant " + b.tenant() + "): " + e.getMessage()
                        + ". Start with the key(s) the records were sealed under.");
            }
        });
    }
}
