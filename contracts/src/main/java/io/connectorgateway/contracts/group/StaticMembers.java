package io.connectorgateway.contracts.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static members (KIP-345, {@code group.instance.id}) of one Kafka Streams instance that no
 * thread of it will join as again, removed from the consumer group so that their partitions move
 * now rather than after the session timeout.
 *
 * <p>Kafka Streams names each stream thread's consumer {@code <group.instance.id>-<thread index>}.
 * Two things leave such a member behind, holding its partitions:
 * <ul>
 *   <li>a stream thread that died on an error is replaced ({@code REPLACE_THREAD}) by a thread with
 *       a new index (the dying thread still holds its own index while it is replaced), and Kafka
 *       Streams closes the dead thread's consumer without leaving the group. The rebalance that the
 *       new thread starts waits for the dead member until its session timeout: nothing of that
 *       thread's partitions, nor of any other member's, is processed meanwhile.
 *       {@link #removeDeadThread} removes it;</li>
 *   <li>a restarted instance numbers its threads from 1 again, so the member of a replacement
 *       thread (index above the thread count) that was live when the process died is never taken
 *       over: the restart waits for its session timeout. {@link #removeStale} removes such members
 *       before the instance starts.</li>
 * </ul>
 * A member that is already gone is fine: removal is idempotent here.
 */
public final class StaticMembers {
    private static final Logger LOG = LoggerFactory.getLogger(StaticMembers.class);
    private static final Pattern THREAD_INDEX = Pattern.compile("-StreamThread-(\\d+)$");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> clientConfig;
    private final String groupId;
    private final String instanceId;
    private final Duration patience;

    /**
     * @param clientConfig Kafka client settings an {@link Admin} can be created with
     * @param groupId      the application id (Kafka Streams' consumer group)
     * @param instanceId   the instance's {@code group.instance.id}, before Kafka Streams appends the
     *                     thread index
     * @param patience     how long a removal keeps trying while the group coordinator is unavailable
     */
    public StaticMembers(Map<String, Object> clientConfig, String groupId, String instanceId, Duration patience) {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("a static member needs a group.instance.id");
        }
        this.clientConfig = Map.copyOf(clientConfig);
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.patience = patience;
    }

    /** The group.instance.id of the stream thread named {@code threadName}, if it is a stream thread. */
    public Optional<String> memberOf(String threadName) {
        Matcher m = THREAD_INDEX.matcher(threadName);
        return m.find() ? Optional.of(instanceId + "-" + Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** The thread index of {@code member} if it is one of this instance's members, else -1. */
    int indexOf(String member) {
        String prefix = instanceId + "-";
        if (member == null || !member.startsWith(prefix)) {
            return -1;
        }
        String rest = member.substring(prefix.length());
        return rest.matches("\\d{1,9}") ? Integer.parseInt(rest) : -1;
    }

    /**
     * Called on the dying stream thread (from the uncaught exception handler): removes its member
     * in the background, retrying for the patience, so that the rebalance the replacement thread
     * starts does not wait for it. Returns at once.
     */
    public void removeDeadThread(String threadName) {
        Optional<String> member = memberOf(threadName);
        if (member.isEmpty()) {
            LOG.warn("{}: thread {} is not a stream thread; no static member to remove", groupId, threadName);
            return;
        }
        Thread t = new Thread(() -> removeWithRetry(List.of(member.get())), "static-member-removal-" + member.get());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Before the instance starts with {@code threads} stream threads: removes its members with a
     * thread index above that (left by a replaced thread before a crash, or by a larger thread count
     * before). Gives up after the patience with a warning: the instance then starts anyway, and
     * waits for those members' session timeout as it would have without this.
     *
     * @return the members removed
     */
    public List<String> removeStale(int threads) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = Admin.create(clientConfig)) {
            while (true) {
                try {
                    List<String> stale = new ArrayList<>();
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(groupId);
                    for (MemberDescription m : group == null ? List.<MemberDescription>of() : group.members()) {
                        m.groupInstanceId().filter(id -> indexOf(id) > threads).ifPresent(stale::add);
                    }
                    if (!stale.isEmpty()) {
                        remove(admin, stale);
                        LOG.info("{}: removed static members {} left by an earlier run of {} (this run has {} thread(s))",
                                groupId, stale, instanceId, threads);
                    }
                    return stale;
                } catch (GroupIdNotFoundException notThere) {
                    return List.of();
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (cause instanceof GroupIdNotFoundException) {
                        return List.of();
                    }
                    if (System.nanoTime() > deadline) {
                        LOG.warn("{}: could not check for stale static members of {}: {}", groupId, instanceId, cause.toString());
                        return List.of();
                    }
                    LOG.info("{}: checking for stale static members of {} failed, retrying: {}", groupId, instanceId,
                            cause.toString());
                    pause();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private void removeWithRetry(List<String> members) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = Admin.create(clientConfig)) {
            while (true) {
                try {
                    remove(admin, members);
                    LOG.info("{}: removed static member(s) {} of a stream thread that died", groupId, members);
                    return;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (System.nanoTime() > deadline) {
                        LOG.warn("{}: could not remove static member(s) {}: {}; they leave at their session timeout",
                                groupId, members, cause.toString());
                        return;
                    }
                    LOG.info("{}: removing static member(s) {} failed, retrying: {}", groupId, members, cause.toString());
                    pause();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the members; one already gone (or a group that no longer exists) counts as removed. */
    private void remove(Admin admin, List<String> members) throws ExecutionException, TimeoutException, InterruptedException {
        List<MemberToRemove> toRemove = members.stream().map(MemberToRemove::new).toList();
        var result = admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(toRemove));
        for (MemberToRemove m : toRemove) {
            try {
                result.memberResult(m).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownMemberIdException || e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(1000);
    }
}
