package io.connectorgateway.policy.app;

import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.event.EventFreshness;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.PolicyOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stream's configuration, from environment variables (documented in the module README)
 * and optionally a properties file of further Kafka Streams settings.
 *
 * @param kafka                  bootstrap servers, topic catalogue and extra client settings
 * @param applicationId          Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir               where RocksDB state lives
 * @param threads                stream threads in this instance
 * @param commitIntervalMs       transaction commit interval (latency of read_committed outputs)
 * @param maxTaskIdleMs          how long a task waits for an empty input partition before
 *                               processing the others (stream-time synchronisation, see README)
 * @param instanceId             stable name of this instance ({@code group.instance.id}, static
 *                               membership), or null: a restarted instance with the same name takes
 *                               its partitions back at once instead of after the session timeout
 * @param options                what the topology needs
 * @param extra                  further Streams settings (from POLICY_CONFIG_FILE), applied last
 */
public record PolicyConfig(KafkaEnvironment kafka, String applicationId, Path stateDir, int threads, long commitIntervalMs,
                           long maxTaskIdleMs, String instanceId, PolicyOptions options,
                           Map<String, String> extra) {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyConfig.class);

    public static final String DEFAULT_APPLICATION_ID = "connector-policy";
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;
    public static final long DEFAULT_MAX_TASK_IDLE_MS = 0;

    public PolicyConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("POLICY_APPLICATION_ID must not be blank");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("POLICY_THREADS must be at least 1");
        }
        if (instanceId != null && (instanceId.isBlank() || !instanceId.matches("[A-Za-z0-9._\\-]{1,200}"))) {
            throw new IllegalArgumentException("POLICY_INSTANCE_ID must be 1-200 letters, digits, '.', '_' or '-', got '"
                    + instanceId + "'");
        }
        extra = Map.copyOf(extra);
    }

    public Topics topics() {
        return kafka.topics();
    }

    public static PolicyConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static PolicyConfig fromEnvironment(Map<String, String> env) {
        KafkaEnvironment kafka = KafkaEnvironment.fromEnvironment(env);
        String secret = env.get("POLICY_TOKEN_SECRET");
        byte[] secretBytes;
        if (secret == null || secret.isBlank()) {
            LOG.warn("POLICY_TOKEN_SECRET is not set: using a random secret for this process; friend-add tokens of "
                    + "auto-granted members will differ on a replay. Set it in every real deployment.");
            secretBytes = new byte[32];
            new SecureRandom().nextBytes(secretBytes);
        } else {
            secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        Duration retention = Duration.ofHours(number(env, "POLICY_DEDUP_RETENTION_HOURS", 168));
        // The policy links the audit chain: without its key it would write records anyone could forge.
        AuditKeys auditKeys = AuditKeys.fromEnvironment(env, "policy-streams (the audit chain's writer)");
        long checkpointRecords = number(env, "POLICY_CHECKPOINT_RECORDS", PolicyOptions.DEFAULT_CHECKPOINT_RECORDS);
        Duration checkpointInterval = Duration.ofMillis(number(env, "POLICY_CHECKPOINT_INTERVAL_MS",
                PolicyOptions.DEFAULT_CHECKPOINT_INTERVAL.toMillis()));
        return new PolicyConfig(kafka,
                env.getOrDefault("POLICY_APPLICATION_ID", DEFAULT_APPLICATION_ID).trim(),
                Path.of(env.getOrDefault("POLICY_STATE_DIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "connector-policy").toString())),
                (int) number(env, "POLICY_THREADS", 1),
                number(env, "POLICY_COMMIT_INTERVAL_MS", DEFAULT_COMMIT_INTERVAL_MS),
                number(env, "POLICY_MAX_TASK_IDLE_MS", DEFAULT_MAX_TASK_IDLE_MS),
                blankToNull(env.get("POLICY_INSTANCE_ID")),
                new PolicyOptions(secretBytes, retention, freshness(env), auditKeys,
                        (int) Math.min(Integer.MAX_VALUE, checkpointRecords), checkpointInterval),
                file(env.get("POLICY_CONFIG_FILE")));
    }

    /** The Kafka Streams properties: exactly-once, the DLQ and the error handlers, then the extras. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        kafka.clientConfig().forEach((k, v) -> p.put(k, v.toString()));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("policy").toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(maxTaskIdleMs));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(topics().replicationFactor()));
        // The outputs are JSON (decisions, audit records, history) and changelog rows: lz4 shrinks
        // what the broker must append, replicate and serve several times over for little CPU. A
        // room drop writes three records per room in one transaction, which is where it shows most.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        if (instanceId != null) {
            // Static membership: Kafka Streams gives each stream thread's consumer this id plus the
            // thread's index, and a restarted instance under the same name rejoins with its old
            // assignment at once (no wait for the old member's session timeout, no rebalance).
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        }
        // KIP-1034: the built-in handlers write the poison record, with the reason in headers, to the DLQ
        // in the same transaction, and processing continues.
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().dlq.name());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        extra.forEach(p::put);
        return p;
    }

    /** A copy with another application id and state dir (tests, replays under a new id). */
    public PolicyConfig withApplicationId(String id, Path dir) {
        return new PolicyConfig(kafka, id, dir, threads, commitIntervalMs, maxTaskIdleMs, instanceId, options, extra);
    }

    /** POLICY_MAX_EVENT_AGE / POLICY_MAX_EVENT_LEAD; null (the default window) when neither is set. */
    private static EventFreshness freshness(Map<String, String> env) {
        String age = blankToNull(env.get("POLICY_MAX_EVENT_AGE"));
        String lead = blankToNull(env.get("POLICY_MAX_EVENT_LEAD"));
        if (age == null && lead == null) {
            return null;
        }
        return new EventFreshness(age == null ? EventFreshness.DEFAULT_MAX_AGE : EventFreshness.duration("POLICY_MAX_EVENT_AGE", age),
                lead == null ? EventFreshness.DEFAULT_MAX_LEAD : EventFreshness.duration("POLICY_MAX_EVENT_LEAD", lead));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static Map<String, String> file(String path) {
        if (path == null || path.isBlank()) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("POLICY_CONFIG_FILE " + path + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n)));
        return m;
    }
}
