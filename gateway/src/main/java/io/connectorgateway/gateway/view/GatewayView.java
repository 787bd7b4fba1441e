package io.connectorgateway.gateway.view;

import io.connectorgateway.contracts.group.StaticMembers;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.admin.AdminKafka;
import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.audit.AuditIndex;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view application ({@code <prefix>connector-gateway-view}, {@link ViewTopology})
 * and the interactive queries over it. Started once the HTTP server listens, because its
 * {@code application.server} is this instance's advertised address: the other instances forward
 * requests for the tenants this one owns there.
 *
 * <p>Ownership is Kafka's: the consumer group of the view application assigns each partition (so
 * each tenant, {@link TenantPartitioner}) to exactly one instance. {@link #route} answers where a
 * tenant's request must run; the store accessors answer only for partitions active here.
 */
@Context
public final class GatewayView implements ApplicationEventListener<ServerStartupEvent>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayView.class);
    /** The view's stores are partitioned by tenant: a query key is a tenant id. */
    private static final StreamPartitioner<String, Object> BY_TENANT =
            (topic, tenant, value, partitions) -> Optional.of(Set.of(TenantPartitioner.partition(tenant, partitions)));

    /** Where a tenant's request runs: here (its partition's stores are active and queryable) or at the owner. */
    public sealed interface Route {
    }

    public record Local(int partition) implements Route {
    }

    public record Remote(URI owner) implements Route {
    }

    /** How long removing a left-behind static member keeps trying while the group coordinator is away. */
    private static final Duration MEMBER_REMOVAL_PATIENCE = Duration.ofSeconds(60);

    private final AdminKafka kafka;
    private final Topics topics;
    private final ViewConfig config;
    private final String instanceId;
    private final Object applied = new Object();
    private final AtomicLong recordsApplied = new AtomicLong();
    private final AtomicLong recordsRestored = new AtomicLong();
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile String scheme = "http";
    private Path tempDir;

    public GatewayView(AdminKafka kafka, ViewConfig config, io.connectorgateway.gateway.admin.AdminConfig adminConfig) {
        this.kafka = kafka;
        this.topics = kafka.topics();
        this.config = config;
        this.instanceId = adminConfig.instanceId();
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        start(event.getSource().getPort());
    }

    private synchronized void start(int port) {
        if (streams != null) {
            return;
        }
        URI advertised = URI.create(config.advertisedUrl() == null || config.advertisedUrl().isBlank()
                ? "http://localhost:" + port : config.advertisedUrl());
        if (advertised.getHost() == null) {
            throw new IllegalStateException("gateway.view.advertised-url must be http(s)://host:port, got " + advertised);
        }
        scheme = advertised.getScheme();
        self = new HostInfo(advertised.getHost(), advertised.getPort() > 0 ? advertised.getPort()
                : "https".equals(scheme) ? 443 : 80);
        Path stateDir;
        try {
            if (config.stateDir() == null || config.stateDir().isBlank()) {
                tempDir = Files.createTempDirectory("connector-gateway-view");
                stateDir = tempDir;
            } else {
                stateDir = Path.of(config.stateDir());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the view state directory", e);
        }
        Properties p = new Properties();
        p.putAll(kafka.environment().clientConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(topics));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        // At-least-once: the view writes nothing but its own stores, and every store write is
        // idempotent, so re-processing after a crash converges; and an unclean stop keeps the local
        // state (exactly-once would wipe it and restore the whole changelog).
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // ... but never show what the policy stream's aborted transactions wrote.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        StaticMembers members = null;
        if (instanceId != null && !instanceId.isBlank()) {
            // Static membership under the instance's stable name (GATEWAY_ADMIN_INSTANCE_ID): a
            // restarted gateway takes its partitions back at once instead of after the old
            // member's session timeout.
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "gateway-view-" + instanceId);
            members = new StaticMembers(kafka.environment().clientConfig(), applicationId(topics),
                    "gateway-view-" + instanceId, MEMBER_REMOVAL_PATIENCE);
        }
        KafkaStreams s = new KafkaStreams(ViewTopology.build(topics, () -> {
            recordsApplied.incrementAndGet();
            signal();
        }), p);
        s.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
                LOG.info("restoring {} partition {} from its changelog: offsets {} to {}", store, tp.partition(), start, end);
            }

            @Override
            public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long restored) {
                recordsRestored.addAndGet(restored);
            }

            @Override
            public void onRestoreEnd(TopicPartition tp, String store, long restored) {
                LOG.info("restored {} partition {}: {} records", store, tp.partition(), restored);
            }
        });
        s.setStateListener((now, before) -> {
            LOG.info("gateway view {} -> {}", before, now);
            signal();
        });
        // A replaced thread joins under a new thread index while Kafka Streams keeps the dead
        // thread's static member in the group, holding its partitions until its session timeout:
        // removed (StaticMembers). The handler runs on the dying thread.
        StaticMembers left = members;
        s.setUncaughtExceptionHandler(e -> {
            LOG.error("gateway view thread {} failed; replacing it", Thread.currentThread().getName(), e);
            if (left != null) {
                left.removeDeadThread(Thread.currentThread().getName());
            }
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        s.start();
        if (left != null) {
            // A replacement thread's member from before a crash of this gateway (index above the
            // one thread this run has) would hold its partitions until its session timeout; removed
            // in the background, so that the server's start does not wait on Kafka.
            Thread cleanup = new Thread(() -> left.removeStale(1), "gateway-view-stale-members");
            cleanup.setDaemon(true);
            cleanup.start();
        }
        streams = s;
        LOG.info("gateway view {} started, advertised as {}", applicationId(topics), advertised);
    }

    /** The view application's id: one consumer group per topic catalogue, shared by every gateway instance. */
    public static String applicationId(Topics topics) {
        return topics.prefix() + "connector-gateway-view";
    }

    private void signal() {
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    public int partition(String tenant) {
        return TenantPartitioner.partition(tenant, topics.partitions());
    }

    /**
     * Where {@code tenant}'s request runs, waiting up to the ready timeout while the view starts,
     * restores or rebalances.
     *
     * @param forwarded the request was already forwarded once: it is not forwarded again (no loops
     *                  while two instances disagree about a moving partition)
     * @throws ApiException 503 when the tenant's partition has no queryable owner in time
     */
    public Route route(String tenant, boolean forwarded) {
        int partition = partition(tenant);
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        String why = "the admin view is starting";
        while (true) {
            KafkaStreams s = streams;
            if (s != null) {
                KafkaStreams.State state = s.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                        || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                    throw ApiException.unavailable("the admin view is not running (" + state + ")");
                }
                why = "partition " + partition + " is moving between gateway instances (Kafka rebalance)";
                KeyQueryMetadata m = metadata(s, tenant);
                HostInfo owner = m == null ? null : m.activeHost();
                if (self.equals(owner)) {
                    if (queryable(s, partition)) {
                        return new Local(partition);
                    }
                    why = "partition " + partition + " is being restored on this instance";
                } else if (owner != null && owner.port() > 0 && !forwarded) {
                    return new Remote(URI.create(scheme + "://" + owner.host() + ":" + owner.port()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw ApiException.unavailable(why + "; retry shortly");
            }
            await(100);
        }
    }

    private static KeyQueryMetadata metadata(KafkaStreams s, String tenant) {
        try {
            return s.queryMetadataForKey(ViewTopology.CONTROL, tenant, BY_TENANT);
        } catch (StreamsException | IllegalStateException e) {
            return null; // not started yet, or no assignment yet
        }
    }

    private static boolean queryable(KafkaStreams s, int partition) {
        try {
            // The store handle is lazy: only a read tells whether the partition is active and running here.
            String probe = ControlKeys.applied("probe", partition);
            localStore(s, ViewTopology.CONTROL, partition).get(probe);
            localStore(s, ViewTopology.AUDIT, partition).get(probe);
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    private static ReadOnlyKeyValueStore<String, byte[]> localStore(KafkaStreams s, String name, int partition) {
        return s.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }

    /**
     * {@code tenant}'s partition of store {@code name}, when that partition is active and queryable
     * here (after {@link #route} said {@link Local}).
     *
     * @throws InvalidStateStoreException when it is not (anymore): restoring, rebalancing, or moved;
     *                                    {@link TenantRouter} routes the request again
     */
    public ReadOnlyKeyValueStore<String, byte[]> store(String name, String tenant) {
        KafkaStreams s = streams;
        if (s == null) {
            throw new InvalidStateStoreException("the admin view is not started");
        }
        return localStore(s, name, partition(tenant));
    }

    /** The next offset the view will apply from {@code tp}, per the store that topic feeds (0: none yet). */
    public long applied(String store, String tenant, TopicPartition tp) {
        return ViewTopology.appliedOffset(store(store, tenant).get(ControlKeys.applied(tp.topic(), tp.partition())));
    }

    /**
     * Waits until the view has applied the record at each offset (all on {@code tenant}'s partition)
     * to {@code store}.
     */
    public boolean awaitApplied(String store, String tenant, Map<TopicPartition, Long> offsets, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!applied(store, tenant, offsets)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            await(Math.min(50, Math.max(1, left / 1_000_000)));
        }
        return true;
    }

    private boolean applied(String store, String tenant, Map<TopicPartition, Long> offsets) {
        try {
            return offsets.entrySet().stream().allMatch(e -> applied(store, tenant, e.getKey()) > e.getValue());
        } catch (InvalidStateStoreException e) {
            return false; // a rebalance in progress: the write is committed, keep waiting for it to show
        }
    }

    /**
     * Stops applying records (the stores stay queryable, as they are) until {@link #resume}: a
     * view that lags, as under a broker fault or a rebalance. For tests of what reads the view.
     */
    public void pause() {
        streams.pause();
    }

    public void resume() {
        streams.resume();
    }

    /** Waits up to {@code millis} for the view to apply something (or change state). */
    public void await(long millis) {
        synchronized (applied) {
            try {
                applied.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted");
            }
        }
    }

    /** Partitions whose stores are active on this instance now. */
    public Set<Integer> activePartitions() {
        KafkaStreams s = streams;
        Set<Integer> out = new TreeSet<>();
        if (s != null) {
            s.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task ->
                    task.topicPartitions().forEach(tp -> out.add(tp.partition()))));
        }
        return out;
    }

    /**
     * Every tenant found in this instance's active stores, by partition: read from the stores
     * themselves (every key of both stores; history entries of earlier releases by their value). For tests and
     * diagnostics: it reads everything this instance holds.
     */
    public Map<Integer, Set<String>> tenantsHeld() {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (int partition : activePartitions()) {
            Set<String> tenants = out.computeIfAbsent(partition, p -> new TreeSet<>());
            try (KeyValueIterator<String, byte[]> it = localStore(streams, ViewTopology.CONTROL, partition).all()) {
                it.forEachRemaining(kv -> Optional.ofNullable(ControlKeys.tenantOf(kv.key)).ifPresent(tenants::add));
            }
            try (KeyValueIterator<String, byte[]> it = localStore(streams, ViewTopology.AUDIT, partition).all()) {
                it.forEachRemaining(kv -> {
                    String tenant = AuditIndex.tenantOfKey(kv.key);
                    if (tenant == null && kv.key.startsWith("h|")) {
                        tenant = AuditIndex.tenantOfHistory(kv.value); // an entry of an earlier release
                    }
                    if (tenant != null) {
                        tenants.add(tenant);
                    }
                });
            }
        }
        return out;
    }

    /** Source records this instance's view applied since it started (not counting restores). */
    public long recordsApplied() {
        return recordsApplied.get();
    }

    /** Changelog records this instance restored into its stores since it started. */
    public long recordsRestored() {
        return recordsRestored.get();
    }

    /** This instance's address as the view application advertises it. */
    public Optional<HostInfo> self() {
        return Optional.ofNullable(self);
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        KafkaStreams s = streams;
        if (s != null) {
            // Leave the group: the partitions move to the other instances now, not after a session timeout.
            s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streams = null;
        }
        if (tempDir != null) {
            try (var files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                LOG.warn("could not delete the temporary view state {}", tempDir, e);
            }
        }
    }
}
