package io.connectorgateway.testsupport;

import io.connectorgateway.kafka.embedded.KafkaNode;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A real KRaft cluster of {@code n} nodes, each Apache Kafka's own {@code kafka.Kafka} main in a
 * JVM of its own (combined broker and controller, a static quorum of all the nodes), with its
 * data in a kept directory and its listeners on ports fixed at construction, so that a node
 * restarted after a {@link #kill SIGKILL} or a {@link #stop clean stop} is the same broker at the
 * same address, as in production. Separate processes make a kill honest: no shutdown hook, no
 * flush, no controlled shutdown; the page cache survives (a process crash, not a machine crash).
 *
 * <p>One node is the single broker of the tests (the same settings as {@link EmbeddedKafka}:
 * replication 1); three or more nodes get the production shape: replication 3 for every topic,
 * the offsets topic and the transaction state log, {@code min.insync.replicas} 2, so a topic
 * stays writable with {@code acks=all} while any one node is down.
 */
public final class KafkaCluster implements AutoCloseable {
    /** Children die with the test JVM, also when it is stopped abruptly: no orphaned brokers. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kafka-cluster-children"));
    }

    /** Broker settings of a three-node (or larger) cluster: production's replication for EOS. */
    public static final Map<String, String> REPLICATED_CONFIG = replicated();

    private static Map<String, String> replicated() {
        Map<String, String> c = new HashMap<>(EmbeddedKafka.SINGLE_NODE_CONFIG);
        c.putAll(Map.of("offsets.topic.replication.factor", "3",
                "transaction.state.log.replication.factor", "3", "transaction.state.log.min.isr", "2",
                "share.coordinator.state.topic.replication.factor", "3", "share.coordinator.state.topic.min.isr", "2",
                "default.replication.factor", "3", "min.insync.replicas", "2",
                // never elect a replica that was out of the ISR: that would lose acknowledged records
                "unclean.leader.election.enable", "false"));
        return Map.copyOf(c);
    }

    private final Path workDir;
    private final List<NodeProcess> nodes = new ArrayList<>();
    /** Node-to-node links by "from>to" (replication and controller traffic), when started {@code partitionable}. */
    private final Map<String, List<LinkProxy>> links = new HashMap<>();

    private KafkaCluster(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Formats (once; a kept directory is reused) and starts {@code size} nodes under
     * {@code workDir} ({@code node-<id>/data}, logs in {@code logs/kafka-<id>.log}), and waits
     * until every node is in the cluster and the transaction coordinator answers.
     *
     * @param brokerOverrides extra or changed broker settings (may be empty)
     */
    public static KafkaCluster start(int size, Path workDir, Map<String, String> brokerOverrides) throws IOException, InterruptedException {
        return start(size, workDir, brokerOverrides, false);
    }

    /**
     * As {@link #start(int, Path, Map)}; with {@code partitionable} every node-to-node link
     * (replication fetches, controller quorum, broker heartbeats) goes through a relay of its own
     * ({@link LinkProxy}), so that {@link #isolate} can cut one node from its peers while clients
     * still reach it, a network partition. Clients always connect directly.
     *
     * <p>How: node {@code i} sends its inter-broker traffic on a listener named {@code FROM_i};
     * every node {@code j} listens on one such listener per peer and advertises {@code FROM_i} at
     * the relay of link i→j, so a follower finds its leader through the relay of its own link. The
     * controller quorum's addresses are per node too ({@code controller.quorum.voters} of node
     * {@code i} names the relays of i→j).
     */
    public static KafkaCluster start(int size, Path workDir, Map<String, String> brokerOverrides, boolean partitionable)
            throws IOException, InterruptedException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
        }
        if (partitionable && size < 2) {
            throw new IllegalArgumentException("a network partition needs at least two nodes");
        }
        Files.createDirectories(workDir);
        KafkaCluster cluster = new KafkaCluster(workDir);
        List<int[]> ports = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        String clusterId = KafkaNode.clusterId(workDir);
        Map<String, String> base = new HashMap<>(size == 1 ? EmbeddedKafka.SINGLE_NODE_CONFIG : REPLICATED_CONFIG);
        base.putAll(brokerOverrides);
        try {
            // fromPorts[j][i]: node j's listener for traffic from node i; relays[i][j]: i's way to j
            int[][] fromPorts = new int[size + 1][size + 1];
            int[][] replicationRelay = new int[size + 1][size + 1];
            int[][] controllerRelay = new int[size + 1][size + 1];
            if (partitionable) {
                for (int j = 1; j <= size; j++) {
                    for (int i = 1; i <= size; i++) {
                        fromPorts[j][i] = freePort();
                    }
                }
                for (int i = 1; i <= size; i++) {
                    for (int j = 1; j <= size; j++) {
                        if (i != j) {
                            LinkProxy replication = new LinkProxy(i + ">" + j + " replication", fromPorts[j][i]);
                            LinkProxy controller = new LinkProxy(i + ">" + j + " controller", ports.get(j - 1)[1]);
                            replicationRelay[i][j] = replication.port();
                            controllerRelay[i][j] = controller.port();
                            cluster.links.put(i + ">" + j, List.of(replication, controller));
                        }
                    }
                }
            }
            for (int id = 1; id <= size; id++) {
                StringBuilder voters = new StringBuilder();
                for (int j = 1; j <= size; j++) {
                    int port = partitionable && j != id ? controllerRelay[id][j] : ports.get(j - 1)[1];
                    voters.append(j == 1 ? "" : ",").append(j).append("@127.0.0.1:").append(port);
                }
                Map<String, String> own = new HashMap<>(base);
                if (partitionable) {
                    StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + ports.get(id - 1)[0]
                            + ",CONTROLLER://127.0.0.1:" + ports.get(id - 1)[1]);
                    StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + ports.get(id - 1)[0]);
                    StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                    for (int i = 1; i <= size; i++) {
                        listeners.append(",FROM_").append(i).append("://127.0.0.1:").append(fromPorts[id][i]);
                        advertised.append(",FROM_").append(i).append("://127.0.0.1:")
                                .append(i == id ? fromPorts[id][i] : replicationRelay[i][id]);
                        protocols.append(",FROM_").append(i).append(":PLAINTEXT");
                    }
                    own.put("listeners", listeners.toString());
                    own.put("advertised.listeners", advertised.toString());
                    own.put("listener.security.protocol.map", protocols.toString());
                    own.put("inter.broker.listener.name", "FROM_" + id);
                }
                NodeProcess n = new NodeProcess(id, ports.get(id - 1)[0], ports.get(id - 1)[1], voters.toString(), own, workDir);
                n.format(clusterId);
                cluster.nodes.add(n);
            }
            for (NodeProcess n : cluster.nodes) {
                n.start();
            }
            cluster.awaitAllUp(restartPatience());
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Cuts node {@code nodeId} from every peer, both ways (replication, controller quorum, broker
     * heartbeats), while clients still reach it: a network partition of one broker. Needs a cluster
     * started {@code partitionable}.
     */
    public void isolate(int nodeId) {
        linksOf(nodeId).forEach(LinkProxy::cut);
    }

    /** Ends {@link #isolate}: the node's links carry traffic again (connections held by the cut are closed). */
    public void rejoin(int nodeId) {
        linksOf(nodeId).forEach(LinkProxy::heal);
    }

    /** Bytes relayed on node {@code nodeId}'s links so far (to see that the partition was real, and that traffic resumed). */
    public long linkBytes(int nodeId) {
        return linksOf(nodeId).stream().mapToLong(LinkProxy::bytes).sum();
    }

    private List<LinkProxy> linksOf(int nodeId) {
        node(nodeId);
        if (links.isEmpty()) {
            throw new IllegalStateException("this cluster was not started partitionable");
        }
        List<LinkProxy> out = new ArrayList<>();
        links.forEach((k, v) -> {
            String[] ends = k.split(">");
            if (Integer.parseInt(ends[0]) == nodeId || Integer.parseInt(ends[1]) == nodeId) {
                out.addAll(v);
            }
        });
        return out;
    }

    /** Every node's client address, comma-separated: clients find the leaders from any of them. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** Node {@code nodeId}'s client port (clients reach every node directly, also during {@link #isolate}). */
    public int clientPort(int nodeId) {
        return node(nodeId).port;
    }

    /** Node ids, 1 to size. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }

    public boolean isAlive(int nodeId) {
        return node(nodeId).isAlive();
    }

    public Path log(int nodeId) {
        return node(nodeId).log;
    }

    /** SIGKILL: the process is gone at once, mid-write; returns when it has exited. */
    public void kill(int nodeId) throws InterruptedException {
        node(nodeId).kill();
    }

    /** SIGTERM: controlled shutdown (leaders move away first), as an operator's restart does. */
    public void stop(int nodeId) throws InterruptedException {
        node(nodeId).stop(60);
    }

    /**
     * How long a restarted node may take to register: generous, because after a SIGKILL it
     * recovers every log segment it had open, in a JVM started on what may be a busy shared box
     * (40 to 92 s were seen at load average 25). Only a node that never comes back waits this long.
     */
    public static Duration restartPatience() {
        return Duration.ofMinutes(5);
    }

    /**
     * Starts a stopped or killed node on its data and ports; returns once it answers as a broker
     * (at most {@link #restartPatience()}).
     */
    public void start(int nodeId) throws IOException, InterruptedException {
        launch(nodeId);
        awaitRegistered(nodeId, restartPatience());
    }

    /**
     * Starts the process of a stopped or killed node and returns at once; {@link #awaitRegistered}
     * then waits for it. Several nodes launched together start in parallel (after an outage of two
     * of three nodes, the first one back restores the controller quorum).
     */
    public void launch(int nodeId) throws IOException {
        node(nodeId).start();
    }

    /** Until a {@link #launch launched} node answers and the controller lists it as a live broker. */
    public void awaitRegistered(int nodeId, Duration timeout) throws InterruptedException {
        awaitNodeRegistered(nodeId, timeout);
    }

    /** The node that leads {@code tp} now (-1 when it has no leader). */
    public int leaderOf(Admin admin, TopicPartition tp) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(tp.topic())).allTopicNames().get(30, TimeUnit.SECONDS).get(tp.topic());
        for (TopicPartitionInfo p : d.partitions()) {
            if (p.partition() == tp.partition()) {
                return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
            }
        }
        throw new IllegalArgumentException("no partition " + tp);
    }

    /**
     * Waits until every partition of {@code topicNames} (internal topics included) has all its
     * replicas in sync again, e.g. after a restarted node caught up. Then killing any one node
     * keeps every partition writable at {@code min.insync.replicas} 2.
     */
    public void awaitFullyReplicated(Admin admin, List<String> topicNames, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lagging = null;
        while (System.nanoTime() < deadline) {
            lagging = null;
            try {
                for (TopicDescription d : admin.describeTopics(topicNames).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        if (p.isr().size() < p.replicas().size() || p.leader() == null || p.leader().isEmpty()) {
                            lagging = d.name() + "-" + p.partition() + " isr " + p.isr().stream().map(Node::id).toList()
                                    + " of " + p.replicas().stream().map(Node::id).toList();
                            break;
                        }
                    }
                    if (lagging != null) {
                        break;
                    }
                }
                if (lagging == null) {
                    return;
                }
            } catch (Exception e) {
                lagging = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not fully replicated within " + timeout + ": " + lagging);
    }

    private NodeProcess node(int nodeId) {
        return nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + nodeIds()));
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    private void awaitAllUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (NodeProcess n : nodes) {
                if (!n.isAlive()) {
                    throw new IllegalStateException("broker node " + n.id + " exited; see " + n.log);
                }
            }
            try (Admin admin = admin()) {
                if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == nodes.size()) {
                    // the brokers answer metadata; the transaction coordinator may need a moment more
                    admin.listTransactions().all().get(10, TimeUnit.SECONDS);
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the cluster was not ready within " + timeout + ": " + last + "; logs in " + workDir);
    }

    private void awaitNodeRegistered(int nodeId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!isAlive(nodeId)) {
                throw new IllegalStateException("broker node " + nodeId + " exited; see " + log(nodeId));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + node(nodeId).port,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
                // this node answers, and the controller lists it as a live broker
                if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == nodeId)) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("node " + nodeId + " not back within " + timeout + ": " + last + "; see " + log(nodeId));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /**
     * Stops every node at once (SIGTERM to all, then SIGKILL after 10 s): one by one, the last
     * nodes would wait for a controller quorum that the first ones took away.
     */
    @Override
    public void close() {
        links.values().forEach(l -> l.forEach(LinkProxy::heal)); // a stopping node must reach its quorum
        nodes.forEach(NodeProcess::signalStop);
        for (NodeProcess n : nodes) {
            try {
                n.stop(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        links.values().forEach(l -> l.forEach(LinkProxy::close));
    }

    /** One node: its configuration, its data, its process. */
    private static final class NodeProcess {
        final int id;
        final int port;
        final Path config;
        final Path log;
        final Path data;
        private Process process;
        private int starts;

        NodeProcess(int id, int port, int controllerPort, String voters, Map<String, String> base, Path workDir) throws IOException {
            this.id = id;
            this.port = port;
            Path dir = workDir.resolve("node-" + id);
            this.data = dir.resolve("data");
            Files.createDirectories(data);
            this.config = dir.resolve("server.properties");
            this.log = workDir.resolve("logs").resolve("kafka-" + id + ".log");
            Files.createDirectories(log.getParent());
            Properties p = new Properties();
            base.forEach(p::setProperty);
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", Integer.toString(id));
            p.setProperty("controller.quorum.voters", voters);
            // a partitionable cluster's node brings its own listeners (KafkaCluster.start)
            p.setProperty("listeners", base.getOrDefault("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort));
            p.setProperty("advertised.listeners", base.getOrDefault("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port));
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("listener.security.protocol.map", base.getOrDefault("listener.security.protocol.map",
                    "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
            p.setProperty("inter.broker.listener.name", base.getOrDefault("inter.broker.listener.name", "PLAINTEXT"));
            p.setProperty("log.dirs", data.toString());
            // many small topics on a small box: keep segments and indexes small
            p.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
            p.setProperty("log.index.size.max.bytes", Integer.toString(1024 * 1024));
            p.setProperty("controlled.shutdown.enable", "true");
            try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                p.store(w, "KafkaCluster node " + id);
            }
        }

        /**
         * Formats the data directory in this JVM (Kafka's own {@code Formatter}, what
         * {@code kafka-storage format} runs): a JVM per node would cost tens of seconds on a busy box.
         * A directory formatted before is left as it is.
         */
        void format(String clusterId) throws IOException {
            KafkaNode.format(data, id, clusterId);
        }

        synchronized void start() throws IOException {
            if (isAlive()) {
                throw new IllegalStateException("node " + id + " is already running");
            }
            starts++;
            Files.writeString(log, "\n===== start " + starts + " =====\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> c = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // C1 only: a restarted broker is up sooner on a small shared box (no C2 compiler
                    // threads competing with the other JVMs); a test broker's load needs no C2 code
                    "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString());
            Process p = new ProcessBuilder(c).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            LIVE.add(p);
            p.onExit().thenAccept(LIVE::remove);
            process = p;
        }

        synchronized boolean isAlive() {
            return process != null && process.isAlive();
        }

        void kill() throws InterruptedException {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p != null) {
                p.destroyForcibly();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("node " + id + " survived SIGKILL for 30 s");
                }
            }
        }

        synchronized void signalStop() {
            if (process != null) {
                process.destroy();
            }
        }

        void stop(long seconds) throws InterruptedException {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                return;
            }
            p.destroy();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
