package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.topic.Topics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * How every admin change is made: under the tenant's lock, check the expected version against
 * the view, write settings/members and audit in one transaction, and wait until the view shows
 * the write before answering (read-your-writes).
 *
 * <p>Changes run on the instance that owns the tenant's partition (requests are routed there), so
 * the lock makes check-then-write atomic for the tenant: two concurrent edits of one version give
 * exactly one success and one 409, whichever instance they were sent to. The one exception is the
 * moment a partition moves between instances: see ADMIN.md ("Several instances").
 */
@Singleton
public final class TenantWrites {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ControlView view;
    private final AdminWriter writer;
    private final Topics topics;
    private final Duration timeout;
    private final CommittedTail tail;

    public TenantWrites(ControlView view, AdminWriter writer, AdminKafka kafka, AdminConfig config, CommittedTail tail) {
        this.view = view;
        this.writer = writer;
        this.tail = tail;
        this.topics = kafka.topics();
        this.timeout = config.readYourWritesTimeout();
    }

    /**
     * Runs {@code body} holding the tenant's write lock, once the view shows everything committed
     * on the tenant's settings, members and channels partitions ({@link #caughtUp}).
     */
    public <T> T serialised(String tenant, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(tenant, t -> new ReentrantLock(true));
        try {
            if (!lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ApiException.unavailable("another change of tenant " + tenant + " is taking too long; retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
        try {
            caughtUp(tenant);
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the view has applied every committed record of the tenant's control partitions,
     * so the check that follows (expected version, next version, who is listed) reads what is in
     * force and not a view behind it. First the admin producer is made ready: after a commit that
     * timed out, starting it again completes or aborts that transaction, so what the check sees
     * includes it or never will. Then what is committed past the view's position is read
     * ({@link CommittedTail}) and waited for.
     *
     * <p>Without this a write answered 503 but committed (its view too slow to show it, the
     * client gone) and then sent again was checked against a view without it, and both got the
     * same version (issue 17's three-broker fault run: plan versions 268 and 270 written twice).
     *
     * @throws ApiException 503 when the view does not catch up in time: nothing is written
     */
    private void caughtUp(String tenant) {
        writer.ready();
        int p = view.partition(tenant);
        Map<TopicPartition, Long> seen = new java.util.HashMap<>();
        for (String topic : java.util.List.of(topics.settings.name(), topics.members.name(), topics.channels.name())) {
            TopicPartition tp = new TopicPartition(topic, p);
            seen.put(tp, view.applied(tenant, tp));
        }
        Map<TopicPartition, Long> behind = tail.committedEnds(seen, timeout).entrySet().stream()
                .filter(e -> e.getValue() > seen.get(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - 1));
        if (behind.isEmpty()) {
            return;
        }
        try {
            if (!view.awaitApplied(tenant, behind, timeout)) {
                throw ApiException.unavailable("this gateway's view of tenant " + tenant + " is behind what is committed "
                        + behind + " after " + timeout.toSeconds() + " s; nothing was written: retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }

    /** Writes the batch and waits until the view has applied its settings, members and channels records. */
    public void commit(String tenant, AdminWriter.Batch batch) {
        Map<TopicPartition, Long> written = writer.write(batch);
        Map<TopicPartition, Long> viewed = written.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topics.settings.name()) || e.getKey().topic().equals(topics.members.name())
                        || e.getKey().topic().equals(topics.channels.name()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try {
            if (!view.awaitApplied(tenant, viewed, timeout)) {
                throw ApiException.unavailable("the change was written but is not visible yet after " + timeout.toSeconds()
                        + " s; read it again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }
}
