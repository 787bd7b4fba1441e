package io.connectorgateway.local.fault;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's main class in a JVM of its own, on this test's class path, configured by
 * environment, its output in a log file. Separate processes are what make a real crash possible:
 * {@link #kill()} is SIGKILL on Linux (no shutdown hook, no flush, no transaction abort).
 */
final class JavaProcess {
    /** Children die with the test JVM, also when it is stopped abruptly (a surefire timeout): no orphans. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "fault-children"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;

    JavaProcess(String name, String mainClass, List<String> args, Map<String, String> env, Path logDir, String heap) {
        this(name, mainClass, List.of(), args, env, logDir, heap);
    }

    /** With {@code jvmOptions} (e.g. {@code -Dkey=value} system properties) before the main class. */
    JavaProcess(String name, String mainClass, List<String> jvmOptions, List<String> args, Map<String, String> env, Path logDir,
                String heap) {
        this.name = name;
        this.env = Map.copyOf(env);
        this.log = logDir.resolve(name + ".log");
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add("-Xmx" + heap);
        // Serial GC: several JVMs share two cores; parallel GC threads would fight over them.
        c.add("-XX:+UseSerialGC");
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(mainClass);
        c.addAll(args);
        this.command = List.copyOf(c);
    }

    String name() {
        return name;
    }

    /** The status of {@code GET /health} on a local port, or -1 while nothing answers there. */
    static int healthStatus(int port) {
        return httpStatus(port, "/health");
    }

    /** The status of {@code GET path} on a local port, or -1 while nothing answers there. */
    static int httpStatus(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** True once the output of the current start (after its start marker) contains {@code text}. */
    boolean loggedSinceStart(String text) {
        String marker;
        synchronized (this) {
            marker = "===== start " + starts + " =====";
        }
        try {
            String all = Files.readString(log);
            int from = all.lastIndexOf(marker);
            return from >= 0 && all.indexOf(text, from) >= 0;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Path log() {
        return log;
    }

    synchronized JavaProcess start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(log.getParent());
        starts++;
        Files.writeString(log, "\n===== start " + starts + " =====\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        LIVE.add(process);
        process.onExit().thenAccept(LIVE::remove);
        return this;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL for 30 s");
            }
        }
    }

    /** SIGTERM (the shutdown hooks run: a clean stop), SIGKILL if it takes longer than {@code seconds}. */
    int stop(long seconds) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return 0;
        }
        p.destroy();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not exit 30 s after SIGKILL; log " + log);
            }
        }
        return p.exitValue();
    }

    /** Runs to completion (a one-shot tool); throws with the log when it fails. */
    void runToCompletion(long seconds) throws IOException, InterruptedException {
        start();
        Process p;
        synchronized (this) {
            p = process;
        }
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + seconds + " s; log " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
        }
    }
}
