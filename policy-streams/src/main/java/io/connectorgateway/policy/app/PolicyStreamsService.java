package io.connectorgateway.policy.app;

import io.connectorgateway.contracts.group.StaticMembers;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.PolicyTopology;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stream as a library: {@link #start} creates missing topics, checks that every input
 * has the catalogue's partition count, starts the one policy application and returns;
 * {@link #close} stops it and leaves the consumer group, so the remaining instances take its
 * partitions over at once. {@link PolicyStreamsApp} wraps it in a main; the local stack and
 * end-to-end tests start it in their own JVM.
 */
public final class PolicyStreamsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long removing a left-behind static member keeps trying while the group coordinator is away. */
    private static final Duration MEMBER_REMOVAL_PATIENCE = Duration.ofSeconds(60);

    private final KafkaStreams policy;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private PolicyStreamsService(KafkaStreams policy) {
        this.policy = policy;
    }

    /** Ensures the topics and starts the application; returns once it was started. */
    public static PolicyStreamsService start(PolicyConfig config) {
        try (Admin admin = Admin.create(config.kafka().clientConfig())) {
            var bootstrapper = new TopicBootstrapper(admin, Duration.ofSeconds(60));
            var report = withRetry(() -> bootstrapper.ensure(config.topics()));
            // Every input is partitioned by tenant (murmur2 of the tenant id mod the partition
            // count): a topic with another count would put a tenant's records on a partition
            // number the tenant's other inputs are not on, and one task would not see them all.
            Topics t = config.topics();
            withRetry(() -> {
                bootstrapper.requireExactPartitions(List.copyOf(PolicyTopology.inputs(t)));
                return null;
            });
            LOG.info("topics ready: {} created, {} verified; inputs have {} partitions each", report.created().size(),
                    report.verified().size(), t.partitions());
        }
        // Static membership: members of this instance that no thread of this run will join as (a
        // replaced thread's, live when the process died) would hold their partitions until their
        // session timeout; remove them before joining.
        StaticMembers members = config.instanceId() == null ? null : new StaticMembers(config.kafka().clientConfig(),
                config.applicationId(), config.instanceId(), MEMBER_REMOVAL_PATIENCE);
        if (members != null) {
            members.removeStale(config.threads());
        }
        Topology topology = PolicyTopology.build(config.topics(), config.options());
        LOG.debug("policy topology:\n{}", topology.describe());
        KafkaStreams policy = new KafkaStreams(topology, config.streamsProperties());
        PolicyStreamsService service = new PolicyStreamsService(policy);
        service.watch(policy, config.applicationId(), members);
        policy.start();
        return service;
    }

    /**
     * Topics that another instance created a moment ago may not be described by every broker yet
     * (UnknownTopicOrPartition); that passes, so try a few times before giving up.
     */
    private static <T> T withRetry(java.util.function.Supplier<T> action) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return action.get();
            } catch (IllegalStateException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("topics do not match")) {
                    throw e; // a real mismatch (cleanup policy, partitions): retrying will not fix it
                }
                last = e;
                LOG.warn("topic check failed (attempt {}): {}", attempt, e.getMessage());
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    private void watch(KafkaStreams streams, String applicationId, StaticMembers members) {
        streams.setStateListener((now, before) -> {
            LOG.info("{} {} -> {}", applicationId, before, now);
            if (now == KafkaStreams.State.ERROR || (now == KafkaStreams.State.NOT_RUNNING && !closing)) {
                stopped.countDown();
            }
        });
        // A thread that died on an unexpected error is replaced; its tasks restart from the last
        // committed transaction, so nothing is lost or doubled (exactly_once_v2). Under static
        // membership the replacement joins under a new thread index while Kafka Streams keeps the
        // dead thread's member in the group: removed, so that the rebalance does not wait for it
        // until its session timeout. The handler runs on the dying thread.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{}: stream thread {} failed; replacing it", applicationId, Thread.currentThread().getName(), e);
            if (members != null) {
                members.removeDeadThread(Thread.currentThread().getName());
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** The application's state. */
    public KafkaStreams.State state() {
        return policy.state();
    }

    /** Waits until the application is RUNNING; false on timeout or when it stopped. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State p = policy.state();
            if (p == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (p == KafkaStreams.State.ERROR || p == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Blocks until the service stopped (closed or failed). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** The policy application, for metrics and interactive queries. */
    public KafkaStreams streams() {
        return policy;
    }

    /**
     * Stops the application and leaves the group (also as a static member), so its partitions move
     * to the other instances now rather than after the session timeout.
     */
    @Override
    public void close() {
        closing = true;
        LOG.info("stopping the policy stream");
        if (!policy.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT))) {
            LOG.warn("policy application did not stop within {}", CLOSE_TIMEOUT);
        }
        stopped.countDown();
    }
}
