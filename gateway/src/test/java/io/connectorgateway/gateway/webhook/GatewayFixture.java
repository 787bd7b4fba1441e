package io.connectorgateway.gateway.webhook;

import static org.junit.jupiter.api.Assertions.fail;

import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.GatewayApplication;
import io.connectorgateway.testsupport.KafkaBroker;
import io.micronaut.runtime.server.EmbeddedServer;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The real gateway on a random port against the real broker, with a small registry, and the
 * means to call it like LINE and LINE WORKS do and to read what it produced.
 */
final class GatewayFixture implements AutoCloseable {
    /**
     * A recent time (whole seconds plus 716 ms) to stamp test events with: the gateway refuses events
     * older than its freshness window as stale, so fixed dates from years ago would never be produced.
     */
    static final long NOW = System.currentTimeMillis() / 1000 * 1000 + 716;
    /** {@link #NOW} as an ISO-8601 instant (a WORKS {@code issuedTime}). */
    static final String NOW_ISO = java.time.Instant.ofEpochMilli(NOW).toString();
    static final String LINE_CHANNEL = "alice-line";
    static final String LINE_DESTINATION = "U0123456789abcdef0123456789abcdef";
    static final String LINE_SECRET = "line-secret-current";
    static final String LINE_SECRET_NEXT = "line-secret-next";
    static final String LINE_URL_TOKEN = "tok-alice-1";
    static final String WORKS_BOT_ID = "2000001";
    static final String WORKS_SECRET = "works-bot-secret";
    static final String TENANT = "acme";
    static final String LINE_MEMBER = "alice";
    static final String WORKS_MEMBER = "bob";

    final KafkaBroker broker;
    final Topics topics;
    final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private GatewayFixture(KafkaBroker broker, Topics topics, EmbeddedServer server) {
        this.broker = broker;
        this.topics = topics;
        this.server = server;
    }

    static GatewayFixture start(KafkaBroker broker, KafkaBroker.Namespace ns) {
        return start(broker, ns, broker.bootstrapServers(), Map.of());
    }

    static GatewayFixture start(KafkaBroker broker, KafkaBroker.Namespace ns, String gatewayBootstrap, Map<String, Object> extra) {
        Topics topics = new Topics(ns.topicPrefix(), 2, (short) 1);
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("gateway.kafka.bootstrap-servers", gatewayBootstrap);
        p.put("gateway.channels.keys", io.connectorgateway.gateway.admin.AdminServer.TEST_CHANNEL_KEYS);
        p.put("gateway.kafka.topic-prefix", ns.topicPrefix());
        p.put("gateway.kafka.topic-partitions", 2);
        p.put("gateway.kafka.topic-replication", 1);
        p.put("gateway.line.channels." + LINE_CHANNEL + ".destination", LINE_DESTINATION);
        p.put("gateway.line.channels." + LINE_CHANNEL + ".tenant", TENANT);
        p.put("gateway.line.channels." + LINE_CHANNEL + ".member", LINE_MEMBER);
        p.put("gateway.line.channels." + LINE_CHANNEL + ".url-token", LINE_URL_TOKEN);
        // two active secrets: a rotation in progress
        p.put("gateway.line.channels." + LINE_CHANNEL + ".secrets", LINE_SECRET + "," + LINE_SECRET_NEXT);
        p.put("gateway.works.bots.bob-bot.bot-id", WORKS_BOT_ID);
        p.put("gateway.works.bots.bob-bot.tenant", TENANT);
        p.put("gateway.works.bots.bob-bot.member", WORKS_MEMBER);
        p.put("gateway.works.bots.bob-bot.secrets", List.of(WORKS_SECRET));
        p.putAll(extra);
        return new GatewayFixture(broker, topics, GatewayApplication.start(p));
    }

    /** A fresh LINE or WORKS user id, so tests sharing the gateway can tell their records apart. */
    static String newLineUser() {
        return "U" + UUID.randomUUID().toString().replace("-", "");
    }

    static String newWorksUser() {
        return UUID.randomUUID().toString();
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** A GET on the public (webhook) port. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** A GET on the management port (health details, liveness, readiness, metrics). */
    HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GatewayApplication.managementPort(server) + path))
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("request to the gateway failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A LINE webhook signed with the channel's current secret. */
    HttpResponse<String> line(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post("/webhooks/line/" + LINE_CHANNEL, "application/json; charset=utf-8", body,
                "x-line-signature", Secrets.signature(LINE_SECRET, body));
    }

    /** A LINE WORKS callback signed with the bot's secret. */
    HttpResponse<String> works(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post("/webhooks/works", "application/json; charset=UTF-8", body,
                "X-WORKS-BotId", WORKS_BOT_ID, "X-WORKS-Signature", Secrets.signature(WORKS_SECRET, body));
    }

    /**
     * Everything on {@code topic} right now, read_committed. The gateway answers 2xx only after
     * Kafka acknowledged, so what an accepted request produced is already there: reading up to
     * the end offsets needs no waiting for records to appear.
     */
    <K, V> List<ConsumerRecord<K, V>> readAll(Topic<K, V> topic) {
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(broker.consumerConfig("reader-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic.name() + " up to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * An event as the policy stream reads it: a content event must arrive sealed (nothing in clear on
     * the topic), with its key on {@code connector.content.keys}; returned opened. A redelivered
     * webhook is sealed under a new key of the same id (the policy stream then writes the key its
     * decision used back), so every key record of the id is tried.
     */
    io.connectorgateway.contracts.event.ConnectorEvent opened(io.connectorgateway.contracts.event.ConnectorEvent e) {
        if (!e.carriesContent()) {
            return e;
        }
        org.junit.jupiter.api.Assertions.assertNotNull(e.sealed(), "content leaves the gateway sealed: " + e);
        for (var r : readAll(topics.contentKeys)) {
            if (e.contentKeyId().equals(r.key()) && r.value() != null) {
                try {
                    return e.opened(r.value());
                } catch (IllegalArgumentException anotherCopysKey) {
                    // the key of another copy of the same message
                }
            }
        }
        return fail("no key on the key topic opens " + e.contentKeyId());
    }

    @Override
    public void close() {
        server.close();
    }
}
