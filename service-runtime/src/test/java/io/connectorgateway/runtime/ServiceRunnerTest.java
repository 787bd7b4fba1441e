package io.connectorgateway.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exit statuses a supervisor acts on: cannot start 2, failed 1, told to stop 0. */
class ServiceRunnerTest {

    private static final class Fake implements ServiceRunner.Running {
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean failed;

        @Override
        public void awaitTermination() throws InterruptedException {
            stopped.await();
        }

        @Override
        public boolean failed() {
            return failed;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            stopped.countDown();
        }
    }

    @Test
    void aServiceThatCannotStartExitsTwo() throws Exception {
        assertEquals(ServiceRunner.CANNOT_START, ServiceRunner.runUntilStopped("svc", () -> {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is required");
        }));
    }

    @Test
    void aServiceThatFailsExitsOneAndIsClosed() throws Exception {
        Fake fake = new Fake();
        Thread failer = new Thread(() -> {
            fake.failed = true;
            fake.stopped.countDown();
        });
        failer.start();
        assertEquals(ServiceRunner.FAILED, ServiceRunner.runUntilStopped("svc", () -> fake));
        assertTrue(fake.closes.get() >= 1, "closed after failing");
    }

    @Test
    void aServiceToldToStopExitsZero() throws Exception {
        Fake fake = new Fake();
        new Thread(fake::close).start();
        assertEquals(0, ServiceRunner.runUntilStopped("svc", () -> fake));
    }
}
