package io.connectorgateway.gateway.kafka;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook ingress's way to Kafka when a platform does not redeliver (LINE WORKS): produce and
 * wait for {@code acks=all} as {@link DurableProducer} does; when Kafka does not acknowledge in
 * time, or while earlier requests still wait in the {@link WebhookSpool} (order), append the
 * request to the spool (fsync) instead, and a replayer thread produces the spool's entries in
 * order once Kafka takes them again. Past the spool's size limit the request is refused (503);
 * an entry past the age limit is dead-lettered ({@code spool-expired}) rather than produced.
 *
 * <p>LINE does not use it: LINE redelivers a webhook answered 503 (with the same
 * {@code webhookEventId}, flagged as a redelivery), so a 503 loses nothing there, and the spool's
 * bounded space stays for the platform that has no other copy.
 *
 * <p>Metrics: {@code gateway_webhook_spool_entries}, {@code gateway_webhook_spool_bytes},
 * {@code gateway_webhook_spool_oldest_age_seconds} (gauges), {@code gateway_webhook_spool_total}
 * ({@code outcome} = spooled / replayed / full / expired); health: the {@code webhookSpool}
 * indicator at {@code /health}.
 */
@Singleton
public class SpoolingProducer {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingProducer.class);
    static final String SERVICE = "gateway";

    /** What happened to a request's records. */
    public enum Result { PRODUCED, SPOOLED }

    private final DurableProducer producer;
    private final Topics topics;
    private final MeterRegistry meters;
    private final WebhookSpool spool;
    private final ScheduledExecutorService replayer;
    private final Path dir;
    private final boolean temporary;

    public SpoolingProducer(DurableProducer producer, Topics topics, SpoolConfig config, MeterRegistry meters) throws IOException {
        this(producer, topics, config, meters, Clock.systemUTC());
    }

    SpoolingProducer(DurableProducer producer, Topics topics, SpoolConfig config, MeterRegistry meters, Clock clock) throws IOException {
        this.producer = producer;
        this.topics = topics;
        this.meters = meters;
        if (!config.enabled()) {
            this.spool = null;
            this.replayer = null;
            this.dir = null;
            this.temporary = false;
            LOG.warn("webhook spool disabled (gateway.spool.enabled=false): a WORKS callback Kafka does not take in time is answered 503 and lost");
            return;
        }
        if (config.dir() == null || config.dir().isBlank()) {
            this.dir = java.nio.file.Files.createTempDirectory("gateway-spool-");
            this.temporary = true;
            LOG.warn("webhook spool in the temporary directory {}: it bridges Kafka outages while this gateway runs, not a "
                    + "restart; set GATEWAY_SPOOL_DIR to a persistent directory of this instance's own", dir);
        } else {
            this.dir = Path.of(config.dir());
            this.temporary = false;
        }
        this.spool = new WebhookSpool(dir, config.maxBytes(), config.maxAge(), clock);
        Gauge.builder("gateway.webhook.spool.entries", spool, WebhookSpool::entries)
                .description("webhook requests spooled on disk, waiting for Kafka").register(meters);
        Gauge.builder("gateway.webhook.spool.bytes", spool, WebhookSpool::pendingBytes)
                .description("bytes of webhook requests spooled on disk, waiting for Kafka").register(meters);
        Gauge.builder("gateway.webhook.spool.oldest.age.seconds", spool, s -> s.oldestAgeMillis() / 1000.0)
                .description("how long the oldest spooled webhook request has waited").register(meters);
        this.replayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-spool-replayer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.replayInterval().toMillis());
        replayer.scheduleWithFixedDelay(this::replaySafely, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Whether requests of {@code connector} may be spooled (WORKS: it never redelivers). */
    public boolean spools(Connector connector) {
        return spool != null && connector == Connector.WORKS;
    }

    /**
     * Produces the records of one request and waits for {@code acks=all}; for a spooling
     * connector, spools them instead when Kafka does not take them in time or earlier requests
     * are still spooled.
     *
     * @throws KafkaUnavailableException when the records are neither acknowledged nor spooled
     *                                   (the request must be answered 503)
     */
    public Result send(Connector connector, List<ProducerRecord<byte[], byte[]>> records) throws KafkaUnavailableException {
        if (!spools(connector)) {
            sendKeysFirst(records);
            return Result.PRODUCED;
        }
        if (spool.isEmpty()) {
            try {
                sendKeysFirst(records);
                return Result.PRODUCED;
            } catch (KafkaUnavailableException e) {
                LOG.warn("{} webhook: Kafka did not acknowledge in time ({}); spooling it", connector, e.getMessage());
            }
        }
        try {
            spool.append(records);
            count("spooled");
            return Result.SPOOLED;
        } catch (WebhookSpool.SpoolFullException e) {
            count("full");
            throw new KafkaUnavailableException("Kafka is unavailable and " + e.getMessage(), e);
        } catch (IOException e) {
            count("failed");
            throw new KafkaUnavailableException("Kafka is unavailable and the spool cannot be written: " + e, e);
        }
    }

    /**
     * Content keys first, acknowledged ({@code acks=all}), then the rest: a record sealed under a key is
     * never on Kafka without its key (a failure after the keys leaves at most a key nothing uses). One
     * more round trip per request that carries content.
     */
    private void sendKeysFirst(List<ProducerRecord<byte[], byte[]>> records) throws KafkaUnavailableException {
        List<ProducerRecord<byte[], byte[]>> keys = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> rest = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            (r.topic().equals(topics.contentKeys.name()) ? keys : rest).add(r);
        }
        producer.sendAll(keys);
        producer.sendAll(rest);
    }

    private void replaySafely() {
        try {
            replay();
        } catch (RuntimeException | IOException e) {
            LOG.warn("webhook spool replay failed; will try again: {}", e.toString());
        }
    }

    /** Produces spooled entries in order until the spool is empty or Kafka refuses; returns how many were replayed. */
    public int replay() throws IOException {
        int n = 0;
        WebhookSpool.Entry e;
        while ((e = spool.peek()) != null) {
            boolean expired = spool.expired(e);
            List<ProducerRecord<byte[], byte[]>> out = expired ? deadLetters(e) : e.records();
            try {
                sendKeysFirst(out);
            } catch (KafkaUnavailableException ex) {
                return n; // still away: try again at the next tick, in the same order
            }
            spool.done(e);
            count(expired ? "expired" : "replayed");
            if (expired) {
                LOG.warn("webhook spool: a request spooled {} ms ago exceeded the age limit {}; its {} record(s) dead-lettered "
                        + "(spool-expired)", System.currentTimeMillis() - e.spooledAtMillis(), spool.maxAge(), e.records().size());
            }
            n++;
        }
        return n;
    }

    /** An expired entry's records as dead letters with the reason (records already bound for the DLQ stay as they are). */
    private List<ProducerRecord<byte[], byte[]>> deadLetters(WebhookSpool.Entry e) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : e.records()) {
            if (r.topic().equals(topics.dlq.name()) || r.topic().equals(topics.contentKeys.name())) {
                // a content key is produced as it is (never onto the DLQ): the dead-lettered event is
                // sealed under it, so an unsend can still take it back
                out.add(r);
            } else {
                out.add(DeadLetter.of(r.topic(), -1, -1, r.key(), r.value(), new SpoolExpiredException(
                        "spool-expired: spooled at " + java.time.Instant.ofEpochMilli(e.spooledAtMillis()) + ", Kafka did not take it within "
                                + spool.maxAge()), SERVICE).toRecord(topics.dlq.name()));
            }
        }
        return out;
    }

    /** The reason of a spooled record dead-lettered past the age limit. */
    public static final class SpoolExpiredException extends RuntimeException {
        SpoolExpiredException(String message) {
            super(message, null, false, false);
        }
    }

    private void count(String outcome) {
        Counter.builder("gateway.webhook.spool").description("webhook requests through the spool, by outcome")
                .tag("outcome", outcome).register(meters).increment();
    }

    /** State for the health indicator; empty when the spool is disabled. */
    public Map<String, Object> status() {
        if (spool == null) {
            return Map.of("enabled", false);
        }
        return Map.of("enabled", true, "entries", spool.entries(), "bytes", spool.pendingBytes(), "maxBytes", spool.maxBytes(),
                "oldestAgeSeconds", spool.oldestAgeMillis() / 1000, "maxAge", spool.maxAge().toString());
    }

    /** True when the next request of average size might not fit: the health turns DOWN. */
    public boolean nearlyFull() {
        return spool != null && spool.pendingBytes() > spool.maxBytes() * 9 / 10;
    }

    @PreDestroy
    void close() {
        if (replayer != null) {
            replayer.shutdownNow();
            try {
                replayer.awaitTermination(5, TimeUnit.SECONDS);
                boolean empty = spool.isEmpty();
                if (!empty) {
                    LOG.error("webhook spool: {} request(s) still wait for Kafka in {}; a gateway started on this directory replays them",
                            spool.entries(), dir);
                }
                spool.close();
                if (temporary && empty) {
                    try (var files = java.nio.file.Files.list(dir)) {
                        for (Path f : files.toList()) {
                            java.nio.file.Files.deleteIfExists(f);
                        }
                    }
                    java.nio.file.Files.deleteIfExists(dir);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
