package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a settings change and its audit record(s) in one Kafka transaction (acks=all,
 * idempotent): the stream never sees a settings row whose audit record is missing, nor the other
 * way round. Returns the offsets the records got, which is what read-your-writes waits for.
 *
 * <p>One transaction at a time per producer, hence {@code synchronized}; settings changes are
 * rare, so one producer per instance is plenty.
 */
@Singleton
public final class AdminWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminWriter.class);

    private final Topics topics;
    private final Map<String, Object> config;
    private KafkaProducer<byte[], byte[]> producer;

    public AdminWriter(AdminKafka kafka, AdminConfig adminConfig) {
        this.topics = kafka.topics();
        String instance = adminConfig.instanceId() != null ? adminConfig.instanceId() : UUID.randomUUID().toString();
        Map<String, Object> c = new HashMap<>(kafka.environment().durableProducerConfig("gateway-admin-" + instance));
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "gateway-admin-" + instance);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.config = c;
    }

    /** Records to write together. */
    public final class Batch {
        private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

        private <V> Batch add(Topic<String, V> topic, String key, V value) {
            records.add(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                    topic.valueSerde().serializer().serialize(topic.name(), value)));
            return this;
        }

        public Batch settings(TenantSettings s) {
            return add(topics.settings, s.key(), s);
        }

        public Batch member(ConnectedMember m) {
            return add(topics.members, m.key(), m);
        }

        public Batch channel(ChannelBinding b) {
            return add(topics.channels, b.key(), b);
        }

        public Batch audit(AuditRecord a) {
            return add(topics.auditIntake, a.tenant(), a);
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /**
     * Commits the batch; returns the highest offset written per partition.
     *
     * @throws ApiException 503 when Kafka did not take it in time: the transaction is aborted, except
     *                      after a commit that timed out, which the next producer's
     *                      {@code initTransactions} completes or aborts (so a 503 means "not
     *                      acknowledged", as for webhooks: the write may have landed)
     */
    public synchronized Map<TopicPartition, Long> write(Batch batch) {
        KafkaProducer<byte[], byte[]> p = producer();
        try {
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (var r : batch.records) {
                sent.add(p.send(r));
            }
            p.commitTransaction();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                offsets.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
            }
            return offsets;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Fatal for this producer: drop it, the next write starts a new one.
            LOG.error("admin producer failed fatally", e);
            closeProducer();
            throw ApiException.unavailable("Kafka refused the write: " + e.getMessage());
        } catch (KafkaException e) {
            LOG.warn("admin write aborted", e);
            try {
                p.abortTransaction();
            } catch (KafkaException | IllegalStateException abortFailure) {
                // e.g. a commit that timed out (a broker outage, a loaded box) cannot be aborted, only
                // retried; the producer refuses every other call from then on. Issue 17's fault suite
                // found a gateway answering every admin write 500 after that, until restarted: drop
                // the producer, the next write starts a new one under the same transactional id,
                // which completes or aborts the pending transaction.
                closeProducer();
            }
            throw ApiException.unavailable("Kafka did not take the write: " + e.getMessage());
        } catch (IllegalStateException e) {
            // the producer is in a state it cannot leave by itself (see above): a new one for the next write
            LOG.warn("admin producer unusable, replacing it", e);
            closeProducer();
            throw ApiException.unavailable("Kafka did not take the write: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing");
        } catch (ExecutionException e) {
            throw ApiException.unavailable("Kafka did not take the write: " + e.getCause());
        }
    }

    /**
     * Starts the producer if there is none (after a failure that dropped it): its
     * {@code initTransactions} completes or aborts a transaction left pending by the one before.
     *
     * @throws ApiException 503 when Kafka does not let it start
     */
    public synchronized void ready() {
        producer();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close();
                throw ApiException.unavailable("cannot start the admin producer: " + e.getMessage());
            }
            producer = p;
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(java.time.Duration.ofSeconds(5));
            } catch (KafkaException ignored) {
                // already broken; nothing more to release
            }
            producer = null;
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        closeProducer();
    }
}
