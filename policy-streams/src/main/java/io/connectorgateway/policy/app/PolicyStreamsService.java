package io.connectorgateway.policy.app;

import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.policy.PolicyTopology;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stream as a library: {@link #start} creates missing topics, starts Kafka Streams and
 * returns; {@link #close} stops it cleanly. {@link PolicyStreamsApp} wraps it in a main; the local
 * stack and end-to-end tests start it in their own JVM.
 */
public final class PolicyStreamsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private PolicyStreamsService(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Ensures the topic catalogue exists, then starts the topology; does not wait for RUNNING. */
    public static PolicyStreamsService start(PolicyConfig config) {
        try (Admin admin = Admin.create(config.kafka().clientConfig())) {
            var report = new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(config.topics());
            LOG.info("topics ready: {} created, {} verified", report.created().size(), report.verified().size());
        }
        Topology topology = PolicyTopology.build(config.topics(), config.options());
        LOG.debug("policy topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        PolicyStreamsService service = new PolicyStreamsService(streams);
        streams.setStateListener((now, before) -> {
            LOG.info("policy stream {} -> {} (application.id={})", before, now, config.applicationId());
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                service.stopped.countDown();
            }
        });
        // A thread that died on an unexpected error is replaced; its tasks restart from the last
        // committed transaction, so nothing is lost or doubled (exactly_once_v2).
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return service;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Waits until the application is RUNNING; false on timeout or when it stopped. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Blocks until the application stopped (closed or failed). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The underlying application, for metrics and interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        LOG.info("stopping the policy stream");
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("policy stream did not stop within {}", CLOSE_TIMEOUT);
        }
        stopped.countDown();
    }
}
