package io.connectorgateway.greeting;

import io.connectorgateway.contracts.channel.ChannelKeyCheck;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.greeting.channel.ChannelRegistry;
import io.connectorgateway.greeting.consume.GreetingConsumer;
import io.connectorgateway.greeting.health.GreetingMetrics;
import io.connectorgateway.greeting.line.LineApi;
import io.connectorgateway.greeting.send.GreetingSender;
import io.connectorgateway.greeting.send.RateLimiter;
import io.connectorgateway.runtime.ManagementServer;
import io.connectorgateway.runtime.ServiceRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running greeting bot: topics ensured, health/metrics server up, consumer loop on its own
 * thread. Start it from {@link GreetingBotApplication#main} or in-process (tests, a local stack
 * running every service in one JVM) with {@link #start(GreetingBotConfig)}; {@link #close()}
 * stops it cleanly.
 */
public final class GreetingBot implements ServiceRunner.Running {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingBot.class);

    private final GreetingBotConfig config;
    private final LineApi line;
    private final ManagementServer management;
    private final GreetingConsumer loop;
    private final Thread thread;
    private final ChannelRegistry registry;
    private final Thread registryThread;
    private final java.util.concurrent.atomic.AtomicBoolean resourcesClosed = new java.util.concurrent.atomic.AtomicBoolean();

    private GreetingBot(GreetingBotConfig config, LineApi line, ManagementServer management, GreetingConsumer loop,
                        ChannelRegistry registry) {
        this.config = config;
        this.line = line;
        this.management = management;
        this.loop = loop;
        this.thread = new Thread(loop, "greeting-bot-consumer");
        this.registry = registry;
        this.registryThread = new Thread(registry, "greeting-bot-channels");
        this.registryThread.setDaemon(true);
    }

    public static GreetingBot start(GreetingBotConfig config) {
        if (config.createTopics()) {
            ensureTopics(config);
        }
        // Refuse to start without keys that open the access tokens on connector.channels.
        ChannelSealer keys = config.channelKeys();
        ChannelKeyCheck.verify(keys, config.kafka().topics(), config.kafka().clientConfig(), Duration.ofSeconds(30));
        int partitions = channelPartitions(config);
        LineApi line = new LineApi(config.lineApiBaseUrl(), config.connectTimeout(), config.readTimeout());
        ManagementServer management = null;
        ChannelRegistry registry = new ChannelRegistry(config.kafka().topics(), keys, channelConsumer(config), partitions);
        try {
            GreetingConsumer[] loopRef = new GreetingConsumer[1];
            management = ManagementServer.start(GreetingBotConfig.SERVICE, config.httpPort(),
                    () -> status(loopRef[0], registry));
            GreetingMetrics metrics = new GreetingMetrics(management.meterRegistry());
            GreetingSender sender = new GreetingSender(line, registry, config.members(),
                    config.userNameFallback(), config.retry(), config.maxAge(), new RateLimiter(config.rateLimitPerSecond()), metrics);
            GreetingConsumer loop = new GreetingConsumer(config.kafka().topics(), consumer(config), producer(config),
                    sender, registry, config.workerThreads(), config.tenantInFlight(), config.maxBuffered(),
                    config.shutdownGrace(), GreetingBotConfig.SERVICE);
            loopRef[0] = loop;
            GreetingBot bot = new GreetingBot(config, line, management, loop, registry);
            bot.registryThread.start();
            bot.thread.start();
            LOG.info("greeting bot started: group {}, LINE API {}, channel tokens from {} (keys {}), health on port {}",
                    config.groupId(), config.lineApiBaseUrl(), config.kafka().topics().channels.name(), keys.primaryKeyId(),
                    management.port());
            return bot;
        } catch (RuntimeException e) {
            registry.close();
            line.close();
            if (management != null) {
                management.close();
            }
            throw e;
        }
    }

    /**
     * Creates or verifies the catalogue. Retried a few times on retriable errors: when several
     * services bootstrap at once, a topic just created by another may not be described yet.
     */
    private static void ensureTopics(GreetingBotConfig config) {
        try (Admin admin = Admin.create(config.kafka().clientConfig())) {
            TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, Duration.ofSeconds(30));
            for (int attempt = 1; ; attempt++) {
                try {
                    bootstrapper.ensure(config.kafka().topics());
                    return;
                } catch (IllegalStateException e) {
                    if (attempt >= 5 || !(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
                        throw e;
                    }
                    LOG.info("topics not ready yet ({}); retrying", e.getCause().toString());
                    try {
                        Thread.sleep(500L * attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * The partition count of {@code connector.channels}, which must be that of {@code connector.greetings}:
     * the bot follows the channel partitions with the numbers of the greetings partitions it owns.
     */
    private static int channelPartitions(GreetingBotConfig config) {
        Topics topics = config.kafka().topics();
        try (Admin admin = Admin.create(config.kafka().clientConfig())) {
            var described = admin.describeTopics(java.util.List.of(topics.channels.name(), topics.greetings.name()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            int channels = described.get(topics.channels.name()).partitions().size();
            int greetings = described.get(topics.greetings.name()).partitions().size();
            if (channels != greetings) {
                throw new IllegalStateException(topics.channels.name() + " has " + channels + " partitions and "
                        + topics.greetings.name() + " " + greetings + ": they must have the same count (both are on "
                        + "their tenant's partition), or the bot cannot find a greeting's channel");
            }
            return channels;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topics.channels.name(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics.channels.name() + " and " + topics.greetings.name()
                    + " (do they exist? GREETING_CREATE_TOPICS creates them): " + e.getMessage(), e);
        }
    }

    /** Follows channel partitions assigned by hand: no group, read_committed (the admin writes transactionally). */
    private static KafkaConsumer<byte[], byte[]> channelConsumer(GreetingBotConfig config) {
        Map<String, Object> c = config.kafka().committedConsumerConfig("unused");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-channels");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(GreetingBotConfig config) {
        Map<String, Object> c = config.kafka().committedConsumerConfig(config.groupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-consumer");
        // Static membership: an instance restarted under the same GREETING_INSTANCE_ID (after a
        // crash, SIGKILL, OOM) rejoins as the same member and gets its partitions back at once,
        // instead of waiting for the dead member's session timeout (45 s by default). A clean
        // stop still leaves the group (GreetingConsumer closes with LEAVE_GROUP), so the other
        // instances take the partitions over at once.
        c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(GreetingBotConfig config) {
        Map<String, Object> c = config.kafka().durableProducerConfig(config.transactionalId() + "-producer");
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ManagementServer.Status status(GreetingConsumer loop, ChannelRegistry registry) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (loop == null) {
            details.put("state", "STARTING");
            return new ManagementServer.Status(false, details);
        }
        details.put("state", loop.state().name());
        details.put("assignedPartitions", loop.assignedPartitions());
        details.put("inFlight", loop.inFlight());
        details.put("transactions", loop.transactions());
        details.put("channelPartitions", registry.followedPartitions());
        details.put("channelBindings", registry.size());
        details.put("awaitingChannels", loop.awaitingChannels());
        if (registry.failure() != null) {
            details.put("channelRegistryFailure", registry.failure());
        }
        if (loop.failure() != null) {
            details.put("failure", loop.failure());
        }
        GreetingConsumer.State s = loop.state();
        return new ManagementServer.Status(s == GreetingConsumer.State.RUNNING || s == GreetingConsumer.State.STARTING,
                details);
    }

    public GreetingConsumer.State state() {
        return loop.state();
    }

    /** Greeting commands queued or being sent right now. */
    public int inFlight() {
        return loop.inFlight();
    }

    /** The health/metrics port (useful when started with port -1). */
    public int httpPort() {
        return management.port();
    }

    public GreetingBotConfig config() {
        return config;
    }

    /** Blocks until the consumer loop has ended (stopped or failed). */
    /** Whether the consumer loop stopped because it failed (not because it was closed). */
    @Override
    public boolean failed() {
        return state() == GreetingConsumer.State.FAILED;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /**
     * Stops the way a crash would, without recording anything more (for tests that restart the
     * bot mid-retry). Unlike a real crash the consumer still leaves its group, so a restart gets
     * the partitions back without waiting for the session timeout.
     */
    public void kill() {
        loop.kill();
        join(Duration.ofSeconds(30));
        shutdownResources();
    }

    /** Clean stop (SIGTERM): running sends get the grace period; the rest stays uncommitted. */
    @Override
    public void close() {
        loop.stop();
        join(config.shutdownGrace().plusSeconds(30));
        shutdownResources();
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                LOG.warn("consumer loop did not stop within {} s; killing it", timeout.toSeconds());
                loop.kill();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownResources() {
        if (!resourcesClosed.compareAndSet(false, true)) {
            return;
        }
        registry.close();
        try {
            line.close();
        } finally {
            management.close();
        }
        LOG.info("greeting bot stopped ({})", loop.state());
    }
}
