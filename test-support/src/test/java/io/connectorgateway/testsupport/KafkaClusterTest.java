package io.connectorgateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three-node cluster is what it claims: replication 3 and {@code min.insync.replicas} 2, and
 * a SIGKILLed partition leader loses nothing an {@code acks=all} idempotent producer was told is
 * written, doubles nothing, and the partition gets a new leader among the survivors; the killed
 * node comes back on its data and rejoins the ISR.
 */
class KafkaClusterTest {
    private static final String TOPIC = "cluster-test";
    private static final int RECORDS = 3000;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aKilledLeaderLosesNoAcknowledgedRecordAndComesBack() throws Exception {
        Path work = Path.of("target", "kafka-cluster-test").toAbsolutePath();
        deleteTree(work);
        long t0 = System.nanoTime();
        try (KafkaCluster cluster = KafkaCluster.start(3, work, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            System.out.printf("3 nodes up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            cluster.awaitFullyReplicated(admin, List.of(TOPIC), Duration.ofMinutes(1));
            assertEquals("2", admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TOPIC))).all().get(30, TimeUnit.SECONDS)
                    .values().iterator().next().get("min.insync.replicas").value(), "min.insync.replicas");
            int leader = cluster.leaderOf(admin, tp);

            long killedAt = 0;
            java.util.concurrent.atomic.AtomicLong firstAckAfterKill = new java.util.concurrent.atomic.AtomicLong(-1);
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.LINGER_MS_CONFIG, 2),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    boolean afterKill = killedAt != 0;
                    acks.add(producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i)), (md, e) -> {
                        if (afterKill && e == null) {
                            firstAckAfterKill.compareAndSet(-1, System.nanoTime());
                        }
                    }));
                    if (i == RECORDS / 3) {
                        acks.get(i).get(60, TimeUnit.SECONDS);
                        cluster.kill(leader);
                        killedAt = System.nanoTime();
                        System.out.printf("leader %d SIGKILLed after %d records%n", leader, i + 1);
                    }
                    if (i % 10 == 0) {
                        Thread.sleep(1);
                    }
                }
                for (Future<RecordMetadata> f : acks) {
                    f.get(2, TimeUnit.MINUTES); // every record acknowledged: none failed
                }
            }
            int newLeader = cluster.leaderOf(admin, tp);
            assertNotEquals(leader, newLeader, "a survivor leads the partition");
            assertTrue(newLeader > 0, "the partition has a leader");
            System.out.printf("leader %d SIGKILLed; new leader %d; first acknowledgement after the kill %d ms later%n",
                    leader, newLeader, (firstAckAfterKill.get() - killedAt) / 1_000_000);

            long restart = System.nanoTime();
            cluster.start(leader);
            cluster.awaitFullyReplicated(admin, List.of(TOPIC), Duration.ofMinutes(2));
            System.out.printf("node %d restarted and back in the ISR in %d ms%n", leader, (System.nanoTime() - restart) / 1_000_000);

            assertEquals(expected(), readAll(cluster, tp), "every acknowledged record once, in order");
        }
    }

    /**
     * A network partition, not a kill: the leader is cut from both peers (replication, quorum,
     * heartbeats) while producers still reach it. It must not acknowledge anything it cannot
     * replicate; the controller moves leadership to the majority side; after the heal the node
     * rejoins and the partition holds every acknowledged record once, in order.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void anIsolatedLeaderAcknowledgesNothingItCannotReplicateAndRejoins() throws Exception {
        Path work = Path.of("target", "kafka-cluster-partition-test").toAbsolutePath();
        deleteTree(work);
        try (KafkaCluster cluster = KafkaCluster.start(3, work, Map.of(), true);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            cluster.awaitFullyReplicated(admin, List.of(TOPIC), Duration.ofMinutes(1));
            int leader = cluster.leaderOf(admin, tp);
            assertTrue(cluster.linkBytes(leader) > 0, "the leader's peers reach it through its links");

            List<Future<RecordMetadata>> acks = new ArrayList<>();
            long cutAt = 0;
            long bytesAtCut = 0;
            int newLeader = -1;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000, ProducerConfig.LINGER_MS_CONFIG, 2),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    acks.add(producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i))));
                    if (i == RECORDS / 3) {
                        acks.get(i).get(60, TimeUnit.SECONDS);
                        cluster.isolate(leader);
                        cutAt = System.nanoTime();
                        Thread.sleep(200); // a write already past the gate when the cut came
                        bytesAtCut = cluster.linkBytes(leader);
                        System.out.printf("leader %d cut from its peers after %d records%n", leader, i + 1);
                    }
                    if (i == RECORDS / 2) {
                        // the majority side elects another leader while the cut one still answers clients
                        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                        while ((newLeader = leaderSeenBy(cluster, leader, tp)) == leader || newLeader <= 0) {
                            assertTrue(System.nanoTime() < deadline, "no new leader on the majority side");
                            Thread.sleep(200);
                        }
                        try (Admin direct = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                "127.0.0.1:" + cluster.clientPort(leader), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
                            assertTrue(direct.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() > 0,
                                    "the cut node still answers clients: a partition, not a crash");
                        }
                        System.out.printf("new leader %d after %d ms; node %d's links relayed %d bytes during the cut%n",
                                newLeader, (System.nanoTime() - cutAt) / 1_000_000, leader, cluster.linkBytes(leader) - bytesAtCut);
                        assertEquals(bytesAtCut, cluster.linkBytes(leader), "nothing crossed the cut");
                        cluster.rejoin(leader);
                    }
                    if (i % 10 == 0) {
                        Thread.sleep(1);
                    }
                }
                for (Future<RecordMetadata> f : acks) {
                    f.get(3, TimeUnit.MINUTES); // every record acknowledged: none failed
                }
            }
            assertNotEquals(leader, newLeader);
            cluster.awaitFullyReplicated(admin, List.of(TOPIC), Duration.ofMinutes(2));
            System.out.printf("node %d back in the ISR; %d bytes on its links since the heal%n", leader,
                    cluster.linkBytes(leader) - bytesAtCut);
            assertEquals(expected(), readAll(cluster, tp), "every acknowledged record once, in order");
        }
    }

    /** The leader of {@code tp} as the nodes other than {@code except} see it. */
    private static int leaderSeenBy(KafkaCluster cluster, int except, TopicPartition tp) throws Exception {
        String others = cluster.nodeIds().stream().filter(id -> id != except).map(id -> "127.0.0.1:" + cluster.clientPort(id))
                .collect(java.util.stream.Collectors.joining(","));
        try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, others,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            return cluster.leaderOf(a, tp);
        }
    }

    private static List<String> expected() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add(Integer.toString(i));
        }
        return expected;
    }

    private static List<String> readAll(KafkaCluster cluster, TopicPartition tp) {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (read.size() < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read.add(r.value());
                }
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> read.add(r.value()));
        }
        return read;
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
