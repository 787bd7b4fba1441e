package io.connectorgateway.policy.app;

import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.policy.PolicyTopology;
import io.connectorgateway.policy.input.PolicyInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import io.connectorgateway.policy.auditchain.AuditChainTopology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stream as a library: {@link #start} creates missing topics, starts the broadcaster,
 * lets it catch up with the control topics, starts the policy application and returns;
 * {@link #close} stops both cleanly. {@link PolicyStreamsApp} wraps it in a main; the local stack
 * and end-to-end tests start it in their own JVM.
 */
public final class PolicyStreamsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams broadcaster;
    private volatile KafkaStreams auditChain;
    private volatile KafkaStreams policy;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private PolicyStreamsService(KafkaStreams broadcaster) {
        this.broadcaster = broadcaster;
    }

    /** Ensures the topics, starts both applications; returns once the policy application was started. */
    public static PolicyStreamsService start(PolicyConfig config) {
        List<Topic<String, PolicyInput>> control = PolicyTopology.controlTopics(config.topics(), config.applicationId());
        try (Admin admin = Admin.create(config.kafka().clientConfig())) {
            var bootstrapper = new TopicBootstrapper(admin, Duration.ofSeconds(60));
            var report = withRetry(() -> bootstrapper.ensure(config.topics()));
            withRetry(() -> bootstrapper.ensure(List.copyOf(control), config.topics().replicationFactor()));
            // The broadcast design (README, "Keying and partitioning") copies every settings,
            // member and directory row to each of the N event partitions: an input with more
            // partitions would have events no copy reaches, judged without settings.
            Topics t = config.topics();
            withRetry(() -> {
                bootstrapper.requireExactPartitions(List.of(t.lineEvents, t.worksEvents, t.settings, t.members,
                        t.directoryEvents));
                return null;
            });
            LOG.info("topics ready: {} created, {} verified; {} control topics {}-...", report.created().size(),
                    report.verified().size(), control.size(), config.applicationId());

            KafkaStreams broadcaster = new KafkaStreams(PolicyTopology.broadcaster(config.topics(), config.applicationId()),
                    config.broadcasterProperties());
            PolicyStreamsService service = new PolicyStreamsService(broadcaster);
            // The audit chain stage first: it only appends intake records to each tenant's chain,
            // so it never waits for anything and every service's audit records flow from the start.
            KafkaStreams chain = new KafkaStreams(AuditChainTopology.build(config.topics()), config.auditChainProperties());
            service.auditChain = chain;
            service.watch(chain, config.auditChainApplicationId());
            chain.start();
            service.watch(broadcaster, config.broadcasterApplicationId());
            broadcaster.start();
            service.awaitCaughtUp(admin, config);

            Topology topology = PolicyTopology.build(config.topics(), config.applicationId(), config.options());
            LOG.debug("policy topology:\n{}", topology.describe());
            KafkaStreams policy = new KafkaStreams(topology, config.streamsProperties());
            service.policy = policy;
            service.watch(policy, config.applicationId());
            policy.start();
            return service;
        }
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

    private void watch(KafkaStreams streams, String applicationId) {
        streams.setStateListener((now, before) -> {
            LOG.info("{} {} -> {}", applicationId, before, now);
            if (now == KafkaStreams.State.ERROR || (now == KafkaStreams.State.NOT_RUNNING && !closing)) {
                stopped.countDown();
            }
        });
        // A thread that died on an unexpected error is replaced; its tasks restart from the last
        // committed transaction, so nothing is lost or doubled (exactly_once_v2).
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{}: stream thread failed; replacing it", applicationId, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * Waits until the broadcaster has passed every control record that is on the broker now. Then
     * the control topics hold every change that precedes the events already waiting, and the policy
     * tasks order them by timestamp: a replay or restart judges each event with the settings of its
     * time. A partition counts as done when the broadcaster's committed offset reaches its
     * read_committed end, or when its consumer has had no lag on it for a few commit intervals
     * (the end offset may be a transaction marker, which no commit ever reaches).
     */
    private void awaitCaughtUp(Admin admin, PolicyConfig config) {
        long deadline = System.nanoTime() + config.catchUpTimeout().toNanos();
        long settleMs = Math.max(300, 3 * config.commitIntervalMs());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> t : List.of(config.topics().settings, config.topics().members, config.topics().directoryEvents)) {
            for (int p = 0; p < t.partitions(); p++) {
                partitions.add(new TopicPartition(t.name(), p));
            }
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> noLagSince = new HashMap<>();
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(60, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(config.broadcasterApplicationId()).partitionsToOffsetAndMetadata()
                        .get(60, TimeUnit.SECONDS);
                Map<TopicPartition, Double> lags = broadcasterLags();
                long now = System.currentTimeMillis();
                long behind = partitions.stream().filter(tp -> {
                    long end = ends.get(tp);
                    OffsetAndMetadata c = committed.get(tp);
                    if (end == 0 || (c != null && c.offset() >= end)) {
                        return false;
                    }
                    Double lag = lags.get(new TopicPartition(metricTopic(tp.topic()), tp.partition()));
                    if (lag == null || lag.isNaN() || lag > 0) {
                        noLagSince.remove(tp);
                        return true;
                    }
                    return now - noLagSince.computeIfAbsent(tp, k -> now) < settleMs;
                }).count();
                if (behind == 0) {
                    LOG.info("broadcaster caught up with the control topics");
                    return;
                }
                LOG.debug("broadcaster still behind on {} partition(s)", behind);
                Thread.sleep(100);
            }
            LOG.warn("broadcaster did not catch up within {}; starting the policy anyway (decisions near "
                    + "settings changes may differ from a slower replay)", config.catchUpTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broadcaster", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot check the broadcaster's progress: " + e, e);
        }
    }

    /** The broadcaster consumer's {@code records-lag} per partition (NaN or absent when unknown), topic in metric form. */
    private Map<TopicPartition, Double> broadcasterLags() {
        Map<TopicPartition, Double> lags = new HashMap<>();
        broadcaster.metrics().forEach((name, metric) -> {
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && name.tags().containsKey("topic") && name.tags().containsKey("partition")) {
                Object v = metric.metricValue();
                if (v instanceof Double d) {
                    lags.put(new TopicPartition(metricTopic(name.tags().get("topic")),
                            Integer.parseInt(name.tags().get("partition"))), d);
                }
            }
        });
        return lags;
    }

    /** Client metrics may write a topic name with '_' for '.'; compare names in that form. */
    private static String metricTopic(String topic) {
        return topic.replace('.', '_');
    }

    /** The policy application's state. */
    public KafkaStreams.State state() {
        return policy.state();
    }

    /** Waits until the three applications are RUNNING; false on timeout or when one stopped. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State p = policy.state();
            KafkaStreams.State b = broadcaster.state();
            KafkaStreams.State c = auditChain.state();
            if (p == KafkaStreams.State.RUNNING && b == KafkaStreams.State.RUNNING && c == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (p == KafkaStreams.State.ERROR || b == KafkaStreams.State.ERROR || c == KafkaStreams.State.ERROR
                    || p == KafkaStreams.State.NOT_RUNNING) {
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

    /** The audit chain stage (single writer of connector.audit). */
    public KafkaStreams auditChain() {
        return auditChain;
    }

    /** The broadcaster application. */
    public KafkaStreams broadcaster() {
        return broadcaster;
    }

    @Override
    public void close() {
        closing = true;
        LOG.info("stopping the policy stream");
        if (policy != null && !policy.close(CLOSE_TIMEOUT)) {
            LOG.warn("policy application did not stop within {}", CLOSE_TIMEOUT);
        }
        if (!broadcaster.close(CLOSE_TIMEOUT)) {
            LOG.warn("broadcaster did not stop within {}", CLOSE_TIMEOUT);
        }
        if (auditChain != null && !auditChain.close(CLOSE_TIMEOUT)) {
            LOG.warn("audit chain stage did not stop within {}", CLOSE_TIMEOUT);
        }
        stopped.countDown();
    }
}
