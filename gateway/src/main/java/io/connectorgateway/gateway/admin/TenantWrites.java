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

    public TenantWrites(ControlView view, AdminWriter writer, AdminKafka kafka, AdminConfig config) {
        this.view = view;
        this.writer = writer;
        this.topics = kafka.topics();
        this.timeout = config.readYourWritesTimeout();
    }

    /** Runs {@code body} holding the tenant's write lock. */
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
            return body.get();
        } finally {
            lock.unlock();
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
