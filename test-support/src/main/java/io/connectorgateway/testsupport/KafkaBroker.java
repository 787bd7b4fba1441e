package io.connectorgateway.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real broker the tests of this JVM share, started once on first use and stopped when the
 * JVM exits. Tests never share topics or application ids: each asks for a {@link #namespace}.
 */
public final class KafkaBroker {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static volatile KafkaBroker instance;

    /** Where the broker comes from. */
    public enum Mode { EMBEDDED, EXTERNAL, CONTAINER }

    private final Mode mode;
    private final String bootstrapServers;
    private final EmbeddedKafka embedded;
    private final AutoCloseable container;

    private KafkaBroker(Mode mode, String bootstrapServers, EmbeddedKafka embedded, AutoCloseable container) {
        this.mode = mode;
        this.bootstrapServers = bootstrapServers;
        this.embedded = embedded;
        this.container = container;
    }

    /**
     * The shared broker. Throws {@link BrokerUnavailableException} when the chosen mode cannot
     * work here (for the container mode, no Docker): the JUnit extension turns that into a skip.
     */
    public static KafkaBroker get() {
        KafkaBroker b = instance;
        if (b == null) {
            synchronized (KafkaBroker.class) {
                b = instance;
                if (b == null) {
                    b = start();
                    instance = b;
                    KafkaBroker started = b;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "kafka-broker-shutdown"));
                }
            }
        }
        return b;
    }

    static Mode chosenMode() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return Mode.EXTERNAL;
        }
        String prop = System.getProperty("kafka.broker", "embedded").trim().toLowerCase();
        return switch (prop) {
            case "", "embedded" -> Mode.EMBEDDED;
            case "container", "testcontainers", "docker" -> Mode.CONTAINER;
            case "external" -> throw new BrokerUnavailableException(
                    "-Dkafka.broker=external needs KAFKA_BOOTSTRAP_SERVERS to name the cluster");
            default -> throw new IllegalArgumentException(
                    "unknown -Dkafka.broker=" + prop + " (use embedded or container, or set KAFKA_BOOTSTRAP_SERVERS)");
        };
    }

    private static KafkaBroker start() {
        Mode mode = chosenMode();
        switch (mode) {
            case EXTERNAL -> {
                String servers = System.getenv("KAFKA_BOOTSTRAP_SERVERS").trim();
                LOG.info("tests use the external Kafka cluster at {}", servers);
                return new KafkaBroker(mode, servers, null, null);
            }
            case CONTAINER -> {
                ContainerKafka c = ContainerKafka.start();
                return new KafkaBroker(mode, c.bootstrapServers(), null, c);
            }
            default -> {
                EmbeddedKafka e = EmbeddedKafka.start();
                return new KafkaBroker(mode, e.bootstrapServers(), e, null);
            }
        }
    }

    public Mode mode() {
        return mode;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The embedded broker, for fault tests; absent for external and container brokers. */
    public java.util.Optional<EmbeddedKafka> embedded() {
        return java.util.Optional.ofNullable(embedded);
    }

    /** A fresh, unique namespace: topic prefix and application-id base for one test. */
    public Namespace namespace(String hint) {
        String clean = hint == null ? "test" : hint.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
        if (clean.length() > 24) {
            clean = clean.substring(0, 24);
        }
        String id = "t" + NAMESPACES.incrementAndGet() + "-" + clean + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Namespace(id, id + ".");
    }

    /** A unique topic prefix and id base for one test. */
    public record Namespace(String id, String topicPrefix) {
        public String appId(String name) {
            return id + "-" + name;
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Idempotent producer with acks=all, as every service here produces, partitioning by tenant
     * as the topic contract says (contracts' {@code TenantPartitioner}, named here because this
     * module does not depend on contracts). A record with an explicit partition keeps it.
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, "io.connectorgateway.contracts.topic.TenantPartitioner");
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return c;
    }

    /** A read_committed consumer starting from the earliest offset, auto-commit off. */
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return c;
    }

    /** Default time to wait for records in tests: generous, because CI is a shared 2-core box. */
    public static Duration patience() {
        return Duration.ofSeconds(60);
    }

    void stop() {
        try {
            if (embedded != null) {
                embedded.close();
            }
            if (container != null) {
                container.close();
            }
        } catch (Exception e) {
            LOG.warn("broker did not stop cleanly", e);
        }
    }
}
