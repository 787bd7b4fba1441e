package io.connectorgateway.gateway.kafka;

import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway's one Kafka producer: idempotent, {@code acks=all}, and bounded in time so that a
 * webhook gets its answer (2xx or 503) well inside the sender's timeout.
 *
 * <p>Records are serialized here with the serdes of their {@link Topic}, so one byte-array
 * producer serves every topic of the catalogue (webhook events, the dead-letter topic, and the
 * admin API's settings topics).
 *
 * <p>Timing: {@code delivery.timeout.ms} = {@code request.timeout.ms} = {@code max.block.ms} =
 * the configured ack timeout (1.5 s by default); {@link #sendAll} waits a little longer than that,
 * so the producer's own verdict decides and a record is never reported failed while the producer
 * is still trying to deliver it.
 */
@Singleton
public class DurableProducer {
    /** Extra wait on top of the delivery timeout, so the producer (not this class) times out first. */
    private static final long VERDICT_MARGIN_MS = 250;

    private final Producer<byte[], byte[]> producer;
    private final Duration ackTimeout;
    private final MeterRegistry meters;

    public DurableProducer(KafkaEnvironment environment, GatewayKafkaConfig config, MeterRegistry meters) {
        this.ackTimeout = config.ackTimeout();
        this.meters = meters;
        Map<String, Object> c = environment.durableProducerConfig("gateway-webhook");
        int timeout = (int) ackTimeout.toMillis();
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        // Reconnect quickly after an outage: the next webhook should not wait out a long backoff.
        c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        this.producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A record for {@code topic}, serialized with the topic's own serdes. */
    public static <K, V> ProducerRecord<byte[], byte[]> record(Topic<K, V> topic, K key, V value) {
        return record(topic, key, value, null);
    }

    /** A record with this timestamp (null: the producer's clock when it is sent). */
    public static <K, V> ProducerRecord<byte[], byte[]> record(Topic<K, V> topic, K key, V value, Long timestamp) {
        byte[] k = key == null ? null : topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] v = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        return new ProducerRecord<>(topic.name(), null, timestamp, k, v);
    }

    /**
     * Sends every record and returns only when Kafka acknowledged all of them ({@code acks=all}).
     *
     * @throws KafkaUnavailableException when any record was not acknowledged in time; some may have
     *                                   landed nevertheless (idempotence covers producer retries, not
     *                                   the caller's), so callers rely on stable ids downstream
     */
    public List<RecordMetadata> sendAll(List<ProducerRecord<byte[], byte[]>> records) throws KafkaUnavailableException {
        if (records.isEmpty()) {
            return List.of();
        }
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                futures.add(producer.send(r));
            }
            long deadline = started + TimeUnit.MILLISECONDS.toNanos(ackTimeout.toMillis() + VERDICT_MARGIN_MS);
            List<RecordMetadata> acked = new ArrayList<>(futures.size());
            for (Future<RecordMetadata> f : futures) {
                long left = Math.max(0, deadline - System.nanoTime());
                acked.add(f.get(left, TimeUnit.NANOSECONDS));
            }
            outcome = "acked";
            return acked;
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge within " + ackTimeout.toMillis() + " ms", e);
        } catch (KafkaException e) {
            // send() itself failed, e.g. no metadata within max.block.ms
            throw new KafkaUnavailableException("Kafka refused the send: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
        } finally {
            Timer.builder("gateway.kafka.produce")
                    .description("time from send to acks=all acknowledgement of all records of one request")
                    .tag("outcome", outcome)
                    .publishPercentiles(0.5, 0.99)
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
