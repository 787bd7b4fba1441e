package io.connectorgateway.contracts.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that are missing and verifies the ones that exist. Idempotent:
 * running it twice creates nothing the second time. Several services may run it at once; a topic
 * created by another between our look and our create counts as existing.
 *
 * <p>A topic that exists with a different cleanup policy or fewer partitions is a problem that
 * must not be papered over (a compacted topic that deletes would lose settings), so it is
 * reported and {@link #ensure} throws.
 */
public final class TopicBootstrapper {
    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrapper.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicBootstrapper(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What a run found and did. */
    public record Report(List<String> created, List<String> verified, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Creates or verifies every topic; throws {@link IllegalStateException} naming any mismatch. */
    public Report ensure(Collection<Topic<?, ?>> topics, short replicationFactor) {
        Report report = check(topics, replicationFactor);
        if (!report.ok()) {
            throw new IllegalStateException("topics do not match the catalogue: " + String.join("; ", report.problems()));
        }
        return report;
    }

    public Report ensure(Topics topics) {
        return ensure(topics.all(), topics.replicationFactor());
    }

    /**
     * Fails unless each (existing) topic has exactly the catalogue's partition count, for inputs a
     * design spreads state over by partition: a partition beyond the count would be read by no one
     * who holds that state. Other topics may have more partitions than the catalogue asks for.
     */
    public void requireExactPartitions(Collection<Topic<?, ?>> topics) {
        List<String> problems;
        try {
            problems = verifyPatiently(List.copyOf(topics), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot verify topics within " + timeout.toSeconds() + " s: " + cause, cause);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("topics do not match the catalogue: " + String.join("; ", problems)
                    + " (set CONNECTOR_TOPIC_PARTITIONS to the topics' partition count)");
        }
    }

    /** Creates what is missing and reports mismatches without throwing. */
    public Report check(Collection<Topic<?, ?>> topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> created = new ArrayList<>();
            List<String> verified = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                if (!existing.contains(t.name())) {
                    toCreate.add(new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.configs()));
                }
            }
            if (!toCreate.isEmpty()) {
                var result = admin.createTopics(toCreate);
                for (NewTopic nt : toCreate) {
                    try {
                        result.values().get(nt.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        created.add(nt.name());
                        LOG.info("created topic {} ({} partitions, {})", nt.name(), nt.numPartitions(), nt.configs());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            List<Topic<?, ?>> toVerify = topics.stream().filter(t -> !created.contains(t.name())).toList();
            List<String> problems = verifyPatiently(toVerify, false);
            toVerify.stream().map(Topic::name).forEach(verified::add);
            return new Report(List.copyOf(created), List.copyOf(verified), problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot create or verify topics within " + timeout.toSeconds()
                    + " s: " + cause, cause);
        }
    }

    /**
     * Right after a topic is created (by us or by another service starting at the same moment)
     * the broker may briefly answer that it does not know it yet; that is not a mismatch.
     */
    private List<String> verifyPatiently(List<Topic<?, ?>> topics, boolean exactPartitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return verify(topics, exactPartitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debug("topic metadata not propagated yet, retrying: {}", e.getCause().getMessage());
                Thread.sleep(200);
            }
        }
    }

    private List<String> verify(List<Topic<?, ?>> topics, boolean exactPartitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return List.of();
        }
        List<String> names = topics.stream().map(Topic::name).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).collect(Collectors.toList()))
                .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Config> byName = new HashMap<>();
        configs.forEach((r, c) -> byName.put(r.name(), c));
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> t : topics) {
            int actual = descriptions.get(t.name()).partitions().size();
            if (actual < t.partitions() || exactPartitions && actual != t.partitions()) {
                problems.add(t.name() + " has " + actual + " partitions, the catalogue wants "
                        + (exactPartitions ? "exactly " : "") + t.partitions());
            }
            ConfigEntry cleanup = byName.get(t.name()).get("cleanup.policy");
            String actualPolicy = cleanup == null ? "delete" : cleanup.value();
            if (!actualPolicy.equals(t.cleanupPolicy())) {
                problems.add(t.name() + " has cleanup.policy=" + actualPolicy + ", the catalogue wants " + t.cleanupPolicy());
            }
        }
        return problems;
    }
}
