package io.connectorgateway.runtime;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the policy service and the greeting bot run as processes (the gateway is a Micronaut
 * application and has the same contract from Micronaut): start, or exit 2 saying why it cannot;
 * on SIGTERM / SIGINT a clean shutdown (the service finishes or abandons its work as it documents);
 * exit 1 when the service stops by itself because it failed, so a supervisor restarts it; exit 0
 * when it stopped because it was told to.
 */
public final class ServiceRunner {
    /** Exit status when the service cannot start (configuration, topics, keys). */
    public static final int CANNOT_START = 2;
    /** Exit status when the running service failed and stopped. */
    public static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /** A started service, as the runner sees it. */
    public interface Running extends AutoCloseable {
        /** Blocks until the service has stopped, by itself or through {@link #close}. */
        void awaitTermination() throws InterruptedException;

        /** Whether it stopped because it failed. */
        boolean failed();

        /** Stops it cleanly; idempotent. */
        @Override
        void close();
    }

    /** Runs the service {@code start} starts until it stops, then exits the JVM with the status above. */
    public static void run(String name, Callable<? extends Running> start) throws InterruptedException {
        System.exit(runUntilStopped(name, start));
    }

    /** What {@link #run} does, returning the exit status instead of exiting (tests). */
    static int runUntilStopped(String name, Callable<? extends Running> start) throws InterruptedException {
        Running service;
        try {
            service = start.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.error("{} cannot start: {}", name, e.getMessage(), e);
            return CANNOT_START;
        }
        Thread hook = new Thread(service::close, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.awaitTermination();
        if (service.failed()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already shutting down: the hook closes it
            }
            service.close();
            LOG.error("{} failed and stopped; exit status {} so that a supervisor restarts it", name, FAILED);
            return FAILED;
        }
        LOG.info("{} stopped", name);
        return 0;
    }
}
