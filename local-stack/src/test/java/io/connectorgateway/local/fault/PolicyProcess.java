package io.connectorgateway.local.fault;

import io.connectorgateway.policy.app.PolicyStreamsApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * One policy-streams instance ({@link PolicyStreamsApp}, the deployed main) in its own JVM, with
 * its own kept state directory, health port and {@code POLICY_INSTANCE_ID} (static membership), so
 * it can be SIGKILLed and restarted as a container would be: the restart has the same instance
 * id and takes its partitions back at once.
 */
final class PolicyProcess {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final JavaProcess process;
    private final Path stateDir;
    private final int healthPort;
    /** False while the suite itself has it down (killed, stopped), so the watchdog leaves it alone. */
    private volatile boolean wanted;

    /**
     * {@code instanceId}: distinct per instance, the same on every restart of this one; null: no
     * static membership (only to show what the restart gap check catches).
     */
    PolicyProcess(String name, String instanceId, Map<String, String> baseEnv, Path workDir) throws IOException {
        this.stateDir = workDir.resolve(name + "-state");
        this.healthPort = JavaProcess.freePort();
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("POLICY_STATE_DIR", stateDir.toString());
        env.put("POLICY_HEALTH_PORT", Integer.toString(healthPort));
        if (instanceId != null) {
            env.put("POLICY_INSTANCE_ID", instanceId);
        }
        this.process = new JavaProcess(name, PolicyStreamsApp.class.getName(), List.of(), env, workDir.resolve("logs"), "512m");
    }

    String name() {
        return process.name();
    }

    synchronized void start() throws IOException {
        process.start();
        wanted = true;
    }

    /**
     * Starts the process again if it is wanted but died, under the same lock as start / kill /
     * stop, so the watchdog never races the chaos thread into a second start.
     */
    synchronized boolean restartIfDied() throws IOException {
        if (wanted && !process.isAlive()) {
            process.start();
            return true;
        }
        return false;
    }

    /** SIGKILL: no shutdown hook runs, the open transaction stays open until it is fenced or times out. */
    synchronized void kill() throws InterruptedException {
        wanted = false;
        process.kill();
    }

    /** SIGTERM: the shutdown hook closes the application, which leaves the group (also as a static member). */
    synchronized void stop() throws InterruptedException {
        wanted = false;
        process.stop(90);
    }

    boolean wanted() {
        return wanted;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return process.log();
    }

    /** True once {@code /health} answers 200: the policy application is RUNNING or REBALANCING (started). */
    boolean healthy() {
        return JavaProcess.healthStatus(healthPort) == 200;
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy()) {
                return;
            }
            if (!process.isAlive() && !wanted) {
                throw new IllegalStateException(name() + " is not running");
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name() + " not healthy within " + timeout + "; see " + process.log());
    }

    /**
     * The Kafka Streams process ids of this instance, read from its state directory; exactly-once
     * v2 names each thread's transactional producer after it.
     */
    Set<String> streamsProcessIds() throws IOException {
        Set<String> ids = new HashSet<>();
        Path dir = stateDir.resolve("policy");
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("kafka-streams-process-metadata")).toList()) {
                Matcher m = UUID.matcher(Files.readString(f));
                while (m.find()) {
                    ids.add(m.group());
                }
            }
        }
        return ids;
    }

    /**
     * Waits up to {@code timeout} until one of this instance's transactions is ONGOING on the
     * broker: a kill right then lands in the middle of it. Null if none was seen.
     */
    String awaitOngoingTransaction(Admin admin, Duration timeout) throws Exception {
        Set<String> ids = streamsProcessIds();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !ids.isEmpty()) {
            for (TransactionListing t : listTransactions(admin, List.of(TransactionState.ONGOING))) {
                if (ids.stream().anyMatch(t.transactionalId()::contains)) {
                    return t.transactionalId();
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    /**
     * {@code Admin.listTransactions} in these states, asked again (up to 5 times, 500 ms apart) when
     * the call fails. After a broker restart the admin client's all-brokers lookup has failed with
     * {@code IllegalArgumentException: Unexpected key set: [BrokerKey(brokerId=3)]} (Kafka 4.3
     * client, seen once in the three-broker profile): a quirk of the client, not a state of the cluster.
     */
    static java.util.Collection<TransactionListing> listTransactions(Admin admin, List<TransactionState> states) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.listTransactions(new ListTransactionsOptions().filterStates(states)).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (attempt >= 5) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
