package io.connectorgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A measured service in its own JVM, so that its peak RSS, CPU time and JFR recording are its
 * own and not the broker's or the load generator's. Same classpath and logging configuration as
 * the harness; output goes to a log file in the run's temporary directory, never into the tree.
 */
final class ChildJvm implements AutoCloseable {
    /** Heap of every child: the same for the baselines and the product, so RSS figures compare. */
    static final String HEAP = "-Xmx1g";

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args}, the extra environment and JVM options. */
    static ChildJvm start(String name, Path workDir, String mainClass, List<String> args, Map<String, String> env,
                          List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(HEAP);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        // A child outliving an interrupted run (Ctrl-C) would retry a vanished broker forever.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-reaper"));
        return new ChildJvm(name, process, log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User plus system CPU time the child has used so far (from /proc; -1 when unknown). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** The child's peak resident set size so far, in MiB (Linux {@code VmHWM}; NaN elsewhere). */
    double peakRssMib() {
        return ProcStatus.peakRssMib(Path.of("/proc", Long.toString(process.pid()), "status"));
    }

    /** Throws with the tail of the child's log when it has died. */
    void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log tail:\n" + tail());
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** SIGTERM (the services close cleanly on it), then SIGKILL if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
