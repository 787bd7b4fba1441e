package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.testsupport.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real gateway admin server on a random port against the shared real broker, with five
 * credentials: a tenant admin and an auditor of {@code acme}, the same of {@code globex}, and an operator.
 */
public final class AdminServer implements AutoCloseable {
    private final io.connectorgateway.policy.app.PolicyStreamsService policy;

    /**
     * The admin side writes audit records to connector.audit.intake; in production the policy
     * task that owns the tenant's partition links them into connector.audit, which audit search
     * reads. Tests run that same policy service. Its application id depends only on the topics, so
     * two gateway instances of one test run two instances of one policy group, as in production.
     */
    private static io.connectorgateway.policy.app.PolicyStreamsService startPolicy(KafkaBroker broker, Topics topics,
                                                                                   Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("CONNECTOR_TOPIC_PREFIX", topics.prefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(topics.partitions()));
        env.put("POLICY_APPLICATION_ID", topics.prefix() + "connector-policy");
        env.put("POLICY_STATE_DIR", stateDir.resolve("policy-" + System.nanoTime()).toString());
        env.put("POLICY_TOKEN_SECRET", "gateway-tests-token-secret-0123456789");
        env.putAll(io.connectorgateway.testsupport.TestAuditKeys.env());
        env.put("POLICY_COMMIT_INTERVAL_MS", "100");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
        env.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "500");
        return io.connectorgateway.policy.app.PolicyStreamsService.start(
                io.connectorgateway.policy.app.PolicyConfig.fromEnvironment(env));
    }

    /** The key-encryption key of this test run's gateways (CONNECTOR_CHANNEL_KEYS): random, never in code. */
    public static final String TEST_CHANNEL_KEYS = newChannelKey("test1");

    /** {@code id:base64} of 32 random bytes: a CONNECTOR_CHANNEL_KEYS entry. */
    public static String newChannelKey(String id) {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return id + ":" + java.util.Base64.getEncoder().encodeToString(k);
    }

    public static final String ACME = "acme";
    public static final String GLOBEX = "globex";

    public final Topics topics;
    public final String acmeToken = AdminCredentials.newToken();
    public final String globexToken = AdminCredentials.newToken();
    public final String operatorToken = AdminCredentials.newToken();
    public final String acmeAuditorToken = AdminCredentials.newToken();
    public final String globexAuditorToken = AdminCredentials.newToken();
    public final EmbeddedServer server;
    public final ApplicationContext context;
    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path stateDir;
    private final String bootstrap;

    public AdminServer(KafkaBroker broker, KafkaBroker.Namespace ns) throws IOException {
        this(broker, ns, Map.of());
    }

    public AdminServer(KafkaBroker broker, KafkaBroker.Namespace ns, Map<String, Object> extra) throws IOException {
        this(broker, ns, extra, 2);
    }

    /** @param partitions partitions of every catalogue topic */
    public AdminServer(KafkaBroker broker, KafkaBroker.Namespace ns, Map<String, Object> extra, int partitions)
            throws IOException {
        topics = new Topics(ns.topicPrefix(), partitions, (short) 1);
        bootstrap = broker.bootstrapServers();
        try (Admin admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics);
        }
        stateDir = Files.createTempDirectory("audit-store");
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("gateway.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("gateway.channels.keys", TEST_CHANNEL_KEYS);
        props.put("gateway.kafka.topic-prefix", ns.topicPrefix());
        props.put("gateway.kafka.topic-partitions", partitions);
        props.put("gateway.kafka.topic-replication", 1);
        props.put("gateway.admin.friend-url-base", "https://friends.example.test/");
        props.put("gateway.admin.instance-id", ns.appId("admin"));
        props.put("gateway.view.state-dir", stateDir.resolve("view").toString());
        props.put("gateway.admin.credentials", List.of(
                "alice:TENANT_ADMIN:" + ACME + ":" + AdminCredentials.sha256Hex(acmeToken),
                "gina:TENANT_ADMIN:" + GLOBEX + ":" + AdminCredentials.sha256Hex(globexToken),
                "olga:OPERATOR:*:" + AdminCredentials.sha256Hex(operatorToken),
                "aude:AUDITOR:" + ACME + ":" + AdminCredentials.sha256Hex(acmeAuditorToken),
                "gaby:AUDITOR:" + GLOBEX + ":" + AdminCredentials.sha256Hex(globexAuditorToken)));
        // tests poll the API: the admin rate limit far above it, unless a test sets its own
        props.put("gateway.rate-limit.admin-capacity", 1_000_000);
        props.put("gateway.rate-limit.admin-per-second", 1_000_000);
        props.putAll(extra);
        server = io.connectorgateway.gateway.GatewayApplication.start(props);
        policy = startPolicy(broker, topics, stateDir);
        context = server.getApplicationContext();
        producer = new KafkaProducer<>(broker.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** This instance's view application. */
    public io.connectorgateway.gateway.view.GatewayView view() {
        return context.getBean(io.connectorgateway.gateway.view.GatewayView.class);
    }

    public String url() {
        return server.getURL().toString();
    }

    /** The management port's base URL (health details, readiness, metrics). */
    public String managementUrl() {
        return "http://127.0.0.1:" + io.connectorgateway.gateway.GatewayApplication.managementPort(server);
    }

    /** An HTTP answer: status, body as JSON (null when empty), headers. */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Answer call(String method, String path, String token, Object body) {
        return call(method, path, token, body, Map.of());
    }

    public Answer call(String method, String path, String token, Object body, Map<String, String> headers) {
        try {
            String json = body == null ? null : body instanceof String s ? s : Json.mapper().writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(90))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body() == null || r.body().isBlank() ? null : Json.mapper().readTree(r.body());
            return new Answer(r.statusCode(), node, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a record to a catalogue topic with its own serdes, waiting for the ack. The partition is
     * the one of the tenant the key starts with ({@code TenantPartitioner}, the producer's partitioner).
     */
    public <V> void publish(io.connectorgateway.contracts.topic.Topic<String, V> topic, String key, V value) {
        send(new ProducerRecord<>(topic.name(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /**
     * Writes a record whose key does not start with its tenant (a room, an event id) to the tenant's
     * partition, as the policy stream writes its outputs.
     */
    public <V> void publish(String tenant, io.connectorgateway.contracts.topic.Topic<String, V> topic, String key, V value) {
        send(new ProducerRecord<>(topic.name(), io.connectorgateway.contracts.topic.TenantPartitioner.partition(tenant,
                topics.partitions()), key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /** An audit record on {@code connector.audit}, keyed by its tenant, as the policy stream writes it. */
    public void audit(io.connectorgateway.contracts.audit.AuditRecord r) {
        publish(topics.audit, r.tenant(), r);
    }

    /** A history entry on {@code connector.history}, on its tenant's partition, as the policy stream writes it. */
    public void history(io.connectorgateway.contracts.audit.HistoryEntry h) {
        publish(h.tenant(), topics.history, h.eventId(), h);
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value on {@code topic} right now (up to its end offsets), in partition order. */
    public <V> List<V> readAll(io.connectorgateway.contracts.topic.Topic<String, V> topic) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("isolation.level", "read_committed");
        c.put("enable.auto.commit", false);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(c,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<V> out = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
            return out;
        }
    }

    /**
     * Waits until the two instances' views have split the {@code partitions} partitions between
     * them (each active on its own, none on both): a write sent while a partition moves may be
     * answered 503 "written but not visible yet" by the owner that lost it (ADMIN.md, "Several
     * instances"), which a test of something else must not run into.
     */
    public static void awaitSplit(AdminServer a, AdminServer b, int partitions) {
        eventually("the " + partitions + " partitions split between both instances", () -> {
            java.util.Set<Integer> onA = a.view().activePartitions();
            java.util.Set<Integer> onB = b.view().activePartitions();
            java.util.Set<Integer> both = new java.util.HashSet<>(onA);
            both.retainAll(onB);
            java.util.Set<Integer> all = new java.util.TreeSet<>(onA);
            all.addAll(onB);
            return !onA.isEmpty() && !onB.isEmpty() && both.isEmpty() && all.size() == partitions;
        });
    }

    /** Polls {@code check} until it returns true or the broker patience runs out. */
    public static void eventually(String what, java.util.function.BooleanSupplier check) {
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        producer.close();
        policy.close();
        server.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
