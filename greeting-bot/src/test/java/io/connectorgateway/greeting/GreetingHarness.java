package io.connectorgateway.greeting;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.greeting.send.MemberDirectory;
import io.connectorgateway.greeting.send.RetryPolicy;
import io.connectorgateway.linestandin.LinePushStandIn;
import io.connectorgateway.testsupport.KafkaBroker;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's world: its own topics, a LINE stand-in, bots, readers for what they wrote, and the
 * channel registry ({@code connector.channels}) written the way the admin API writes it: one
 * {@link ChannelBinding} per member, secrets and access token sealed under this harness's key.
 */
final class GreetingHarness implements AutoCloseable {
    static final String TENANT = "acme";
    static final String TOKEN = "token-acme";
    /** The member every {@link #command} is for; the constructor registers a channel for them in each tenant. */
    static final String MEMBER = "m-1";

    final KafkaBroker broker;
    final KafkaBroker.Namespace ns;
    final Topics topics;
    final LinePushStandIn line;
    private final List<GreetingBot> bots = new ArrayList<>();
    final String channelKeys = newKey("kek-test");
    private final ChannelSealer sealer = ChannelSealer.fromKeys(channelKeys);
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, ChannelBinding> bindings = new HashMap<>();
    private int seq;

    /** Registers, for each tenant, a LINE channel of member {@value #MEMBER} with that token. */
    GreetingHarness(KafkaBroker broker, KafkaBroker.Namespace ns, int partitions, Map<String, String> tokensByTenant) {
        this.broker = broker;
        this.ns = ns;
        this.topics = new Topics(ns.topicPrefix(), partitions, (short) 1);
        try (Admin admin = broker.admin()) {
            new TopicBootstrapper(admin, Duration.ofSeconds(30)).ensure(topics);
        }
        this.line = LinePushStandIn.start(0, tokensByTenant.values());
        this.producer = new KafkaProducer<>(broker.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        tokensByTenant.forEach((tenant, token) -> register(tenant, MEMBER, "ch-" + tenant, token));
    }

    static String newKey(String id) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return id + ":" + Base64.getEncoder().encodeToString(k);
    }

    /**
     * Registers {@code channelId} as the member's current LINE channel (a replaced one is kept as
     * previous, as the admin API does), with {@code accessToken} sealed (null: none), and waits
     * until it is on the topic.
     */
    ChannelBinding register(String tenant, String member, String channelId, String accessToken) {
        String key = io.connectorgateway.contracts.Ids.memberKey(tenant, Connector.LINE, member);
        ChannelBinding before = bindings.get(key);
        long now = System.currentTimeMillis();
        ChannelBinding.Channel channel = ChannelBinding.Channel.sealed(sealer, tenant, Connector.LINE, member, channelId,
                "U" + channelId, null, new ChannelSecrets(List.of("secret-" + channelId), accessToken), now);
        List<ChannelBinding.Channel> previous = before == null || before.isCurrent(channelId) ? (before == null ? List.of()
                : before.previous()) : before.previousAfterReplacing(now, channelId);
        return write(new ChannelBinding(0, tenant, Connector.LINE, member, ChannelBinding.Status.ACTIVE, channel, previous,
                before == null ? 1 : before.version() + 1, new Change(new io.connectorgateway.contracts.Actor("test-admin", io.connectorgateway.contracts.Actor.Role.TENANT_ADMIN), "test", System.currentTimeMillis())));
    }

    /** Retires the member's channel: none in force, the old one kept as previous. */
    ChannelBinding retire(String tenant, String member) {
        ChannelBinding before = bindings.get(io.connectorgateway.contracts.Ids.memberKey(tenant, Connector.LINE, member));
        return write(new ChannelBinding(0, tenant, Connector.LINE, member, ChannelBinding.Status.RETIRED, null,
                before.previousAfterReplacing(System.currentTimeMillis(), null), before.version() + 1,
                new Change(new io.connectorgateway.contracts.Actor("test-admin", io.connectorgateway.contracts.Actor.Role.TENANT_ADMIN), "test", System.currentTimeMillis())));
    }

    private ChannelBinding write(ChannelBinding b) {
        String topic = topics.channels.name();
        try {
            producer.send(new ProducerRecord<>(topic, TenantPartitioner.partition(b.tenant(), topics.partitions()), null,
                    topics.channels.keySerde().serializer().serialize(topic, b.key()),
                    topics.channels.valueSerde().serializer().serialize(topic, b))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the channel binding", e);
        }
        bindings.put(b.key(), b);
        return b;
    }

    GreetingHarness(KafkaBroker broker, KafkaBroker.Namespace ns) {
        this(broker, ns, 2, Map.of(TENANT, TOKEN));
    }

    /** Quick retries so tests finish fast; everything else as in production. */
    GreetingBotConfig config() {
        return new GreetingBotConfig.Builder()
                .kafka(new KafkaEnvironment(broker.bootstrapServers(), topics, Map.of()))
                .groupId(ns.appId("bot")).instanceId("test-instance").lineApiBaseUrl(line.baseUrl())
                .channelKeys(sealer).members(MemberDirectory.of(Map.of(TENANT + ".m-1", "Aiko"))).userNameFallback("there")
                .retry(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .maxAge(Duration.ofDays(365 * 100)).rateLimitPerSecond(2_000)
                .workerThreads(8).tenantInFlight(2).maxBuffered(100)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).shutdownGrace(Duration.ofSeconds(10))
                .httpPort(-1).createTopics(true)
                .build();
    }

    GreetingBot startBot(GreetingBotConfig config) {
        GreetingBot bot = GreetingBot.start(config);
        bots.add(bot);
        return bot;
    }

    /** A command as an earlier release wrote it: no channel named, so the member's current one is used. */
    GreetingCommand command(String tenant, String lineUserId, String text, String salesInfo) {
        return command(tenant, MEMBER, null, lineUserId, text, salesInfo);
    }

    /** A command for a follow through {@code channelId} (null: none named). */
    GreetingCommand command(String tenant, String member, String channelId, String lineUserId, String text, String salesInfo) {
        int n = ++seq;
        return new GreetingCommand(GreetingCommand.SCHEMA_VERSION, "cmd-" + ns.id() + "-" + n, tenant, "rm-" + n,
                member, lineUserId, text, salesInfo, 7, "ev-friend-add-" + n, 1_700_000_000_000L + n, channelId);
    }

    /** On the tenant's partition, as the policy stream writes it. */
    void send(GreetingCommand command) throws Exception {
        String topic = topics.greetings.name();
        producer.send(new ProducerRecord<>(topic, TenantPartitioner.partition(command.tenant(), topics.partitions()), null,
                topics.greetings.keySerde().serializer().serialize(topic, command.roomId()),
                topics.greetings.valueSerde().serializer().serialize(topic, command))).get();
    }

    void sendRaw(byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.greetings.name(), key, value)).get();
    }

    /** Audit records, read committed, until {@code until} holds for the records read so far. */
    List<AuditRecord> auditUntil(Predicate<List<AuditRecord>> until) {
        List<ConsumerRecord<byte[], byte[]>> raw = readUntil(topics.auditIntake.name(), rs -> until.test(decode(rs)));
        return decode(raw);
    }

    List<ConsumerRecord<byte[], byte[]>> rawAuditUntil(Predicate<List<AuditRecord>> until) {
        return readUntil(topics.auditIntake.name(), rs -> until.test(decode(rs)));
    }

    List<DeadLetter> deadLettersUntil(Predicate<List<DeadLetter>> until) {
        List<ConsumerRecord<byte[], byte[]>> raw = readUntil(topics.dlq.name(),
                rs -> until.test(rs.stream().map(DeadLetter::fromRecord).toList()));
        return raw.stream().map(DeadLetter::fromRecord).toList();
    }

    private List<AuditRecord> decode(List<ConsumerRecord<byte[], byte[]>> raw) {
        return raw.stream().map(r -> topics.auditIntake.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    static Predicate<List<AuditRecord>> has(AuditKind kind, String commandId) {
        return rs -> rs.stream().anyMatch(r -> r.kind() == kind && commandId.equals(r.detail().get("commandId")));
    }

    static List<AuditRecord> about(List<AuditRecord> records, String commandId) {
        return records.stream().filter(r -> commandId.equals(r.detail().get("commandId"))).toList();
    }

    private List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> until) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(broker.consumerConfig(ns.appId("reader-" + System.nanoTime())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(seen::add);
                if (until.test(seen)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("gave up waiting on " + topic + " after " + KafkaBroker.patience().toSeconds()
                + " s; read " + seen.size() + " records");
    }

    @Override
    public void close() {
        for (GreetingBot bot : bots) {
            try {
                bot.close();
            } catch (RuntimeException ignored) {
                // already stopped or killed
            }
        }
        producer.close();
        line.close();
    }
}
