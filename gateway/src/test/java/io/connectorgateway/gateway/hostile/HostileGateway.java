package io.connectorgateway.gateway.hostile;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.LoggerFactory;

/**
 * One real gateway (webhook ingress and admin API in one Micronaut server, as deployed) for the
 * whole hostile suite: the {@link AdminServer} fixture with its admin credentials, a configured
 * registry of one LINE channel and one WORKS bot, and channels registered as data through the admin
 * API ({@link Registered}: two other tenants, so {@code acme} still has nothing written). Sends
 * {@link HostileCase.Request}s exactly as written (duplicated headers, chunked bodies, any method),
 * reads the whole topic catalogue, and keeps what the gateway logged.
 */
final class HostileGateway implements AutoCloseable {
    static final String ACME = AdminServer.ACME;
    static final String GLOBEX = AdminServer.GLOBEX;
    static final String LINE_CHANNEL = "hostile-line";
    static final String LINE_DESTINATION = "U00000000000000000000000000000bad";
    static final String LINE_SECRET = "hostile-line-secret";
    static final String WORKS_BOT_ID = "3000001";
    static final String WORKS_SECRET = "hostile-works-secret";
    /** A second channel of acme, whose rate limit the burst uses up (the corpus's channel keeps its own). */
    static final String BURST_CHANNEL = "hostile-burst";
    static final String BURST_DESTINATION = "U0000000000000000000000000000burst";
    /** Rate limits above what the corpus sends to one tenant or channel, below what a burst sends. */
    static final int LIMIT_CAPACITY = 3000;
    static final int LIMIT_PER_SECOND = 100;

    final AdminServer server;
    /** The channels registered as data, their secrets and friend-add tokens. */
    final Registered registered;
    private final KafkaBroker broker;
    private final KafkaBroker.Namespace ns;
    /** Every log event of the gateway (and the policy stream in the same JVM) since the setup. */
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    HostileGateway(KafkaBroker broker, KafkaBroker.Namespace ns) throws IOException {
        this.broker = broker;
        this.ns = ns;
        Map<String, Object> registry = new HashMap<>();
        lineChannel(registry, LINE_CHANNEL, LINE_DESTINATION, "alice");
        lineChannel(registry, BURST_CHANNEL, BURST_DESTINATION, "carol");
        registry.put("gateway.works.bots.hostile-bot.bot-id", WORKS_BOT_ID);
        registry.put("gateway.works.bots.hostile-bot.tenant", ACME);
        registry.put("gateway.works.bots.hostile-bot.member", "bob");
        registry.put("gateway.works.bots.hostile-bot.secrets", WORKS_SECRET);
        registry.put("gateway.rate-limit.admin-capacity", LIMIT_CAPACITY);
        registry.put("gateway.rate-limit.admin-per-second", LIMIT_PER_SECOND);
        registry.put("gateway.rate-limit.webhook-capacity", LIMIT_CAPACITY);
        registry.put("gateway.rate-limit.webhook-per-second", LIMIT_PER_SECOND);
        this.server = new AdminServer(broker, ns, registry);
        // after the start: Micronaut configures logback as it starts
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        this.registered = Registered.setUp(server);
    }

    /** Every log line so far, formatted, with the messages of logged exceptions. */
    List<String> logLines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            StringBuilder line = new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getMessage());
            }
            out.add(line.toString());
        }
        return out;
    }

    /** A LINE channel of acme, signed with {@link #LINE_SECRET}, for {@code member}. */
    private static void lineChannel(Map<String, Object> registry, String name, String destination, String member) {
        String c = "gateway.line.channels." + name;
        registry.put(c + ".destination", destination);
        registry.put(c + ".tenant", ACME);
        registry.put(c + ".member", member);
        registry.put(c + ".url-token", "tok-" + member + "-1");
        registry.put(c + ".secrets", LINE_SECRET);
    }

    String acmeToken() {
        return server.acmeToken;
    }

    String globexToken() {
        return server.globexToken;
    }

    String operatorToken() {
        return server.operatorToken;
    }

    String acmeAuditorToken() {
        return server.acmeAuditorToken;
    }

    /** An answer: status, body text, headers. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** The metrics, from the management port. */
    String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(server.managementUrl() + "/prometheus"))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        } catch (IOException e) {
            throw new AssertionError("the management port did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Answer send(HostileCase.Request r) {
        HttpRequest.BodyPublisher publisher;
        if (r.body() == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (r.chunked()) {
            // an InputStream body has no known length: sent with Transfer-Encoding: chunked
            byte[] body = r.body();
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        } else {
            publisher = HttpRequest.BodyPublishers.ofByteArray(r.body());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + r.path()))
                .timeout(Duration.ofSeconds(60)).method(r.method(), publisher);
        r.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new AssertionError("the gateway did not answer " + r + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every record of {@code topic} (read_committed, up to its end offsets), as raw bytes. */
    List<ConsumerRecord<byte[], byte[]>> readAll(Topic<?, ?> topic) {
        Map<String, Object> c = new HashMap<>(broker.consumerConfig("hostile-reader-" + UUID.randomUUID()));
        c.put("isolation.level", "read_committed");
        c.put("enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    /** The sum of the end offsets of {@code topic}: moves with every write, also an aborted transaction's. */
    long endOffsets(Topic<?, ?> topic) {
        Map<String, Object> c = new HashMap<>(broker.consumerConfig("hostile-offsets-" + UUID.randomUUID()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The end offset of each partition of {@code topic}. */
    Map<TopicPartition, Long> partitionEnds(Topic<?, ?> topic) {
        Map<String, Object> c = new HashMap<>(broker.consumerConfig("hostile-offsets-" + UUID.randomUUID()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /**
     * Every record of every topic of this gateway and its policy stream: the catalogue and the
     * internal ones (changelogs, repartition topics), read_uncommitted, so an aborted write counts too.
     */
    List<ConsumerRecord<byte[], byte[]>> readEverything() throws Exception {
        List<String> names = new ArrayList<>();
        try (Admin admin = broker.admin()) {
            admin.listTopics().names().get().stream().filter(n -> n.startsWith(ns.topicPrefix())).sorted().forEach(names::add);
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<String, Object> c = new HashMap<>(broker.consumerConfig("hostile-scan-" + UUID.randomUUID()));
        c.put("enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String name : names) {
                List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + name + " to its end offsets " + end);
                    }
                    consumer.poll(Duration.ofMillis(100)).forEach(out::add);
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        server.close();
    }
}
