package io.connectorgateway.greeting.consume;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs greeting jobs on a shared pool with a bounded number in flight per tenant.
 *
 * <p>Why: a tenant whose LINE channel is slow or failing holds at most {@code perTenant} workers
 * (its other commands wait in its own queue), so as long as the pool is larger than that, other
 * tenants' greetings keep flowing. Jobs of one tenant start in arrival order.
 */
final class TenantLanes {
    private final ExecutorService pool;
    private final int perTenant;
    private final Map<String, Lane> lanes = new HashMap<>();
    private int size;

    TenantLanes(int threads, int perTenant, String threadPrefix) {
        if (threads < 1 || perTenant < 1) {
            throw new IllegalArgumentException("GREETING_WORKER_THREADS and GREETING_TENANT_IN_FLIGHT must be at least 1");
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.perTenant = perTenant;
    }

    /** A unit of work that can be cancelled before or while it runs. */
    abstract static class Job implements Runnable {
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }
    }

    private static final class Lane {
        final ArrayDeque<Job> queued = new ArrayDeque<>();
        final java.util.Set<Job> running = new java.util.HashSet<>();
    }

    synchronized void submit(String tenant, Job job) {
        Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
        lane.queued.add(job);
        size++;
        startNext(tenant, lane);
    }

    private void startNext(String tenant, Lane lane) {
        while (lane.running.size() < perTenant && !lane.queued.isEmpty()) {
            Job job = lane.queued.poll();
            lane.running.add(job);
            try {
                pool.execute(() -> {
                    try {
                        if (!job.cancelled()) {
                            job.run();
                        }
                    } finally {
                        finished(tenant, lane, job);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // The pool is stopping: the job is abandoned, its offset stays uncommitted.
                job.cancel();
                lane.running.remove(job);
                size--;
            }
        }
    }

    private synchronized void finished(String tenant, Lane lane, Job job) {
        lane.running.remove(job);
        size--;
        startNext(tenant, lane);
        if (lane.running.isEmpty() && lane.queued.isEmpty()) {
            lanes.remove(tenant, lane);
        }
        notifyAll();
    }

    /** Jobs queued or running. */
    synchronized int size() {
        return size;
    }

    /** Cancels matching jobs: queued ones are dropped, running ones stop at their next check. */
    synchronized void cancel(Predicate<Job> which) {
        for (Lane lane : lanes.values()) {
            for (Iterator<Job> it = lane.queued.iterator(); it.hasNext(); ) {
                Job job = it.next();
                if (which.test(job)) {
                    job.cancel();
                    it.remove();
                    size--;
                }
            }
            lane.running.stream().filter(which).forEach(Job::cancel);
        }
        lanes.values().removeIf(l -> l.queued.isEmpty() && l.running.isEmpty());
        notifyAll();
    }

    /** Drops every job that has not started yet (shutdown: only running ones may finish). */
    synchronized void cancelQueued() {
        for (Lane lane : lanes.values()) {
            lane.queued.forEach(Job::cancel);
            size -= lane.queued.size();
            lane.queued.clear();
        }
        lanes.values().removeIf(l -> l.running.isEmpty());
        notifyAll();
    }

    /** Waits until no job is queued or running, at most {@code timeout}; true when idle. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (size > 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Stops the workers; {@code interrupt} also interrupts the running ones (a crash, in tests). */
    void shutdown(boolean interrupt) {
        if (interrupt) {
            pool.shutdownNow();
        } else {
            pool.shutdown();
        }
    }

    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
