package io.connectorgateway.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node keeps its address and its data across a restart, and says clearly when its port is taken. */
class KafkaNodeTest {

    @TempDir
    Path dir;

    @Test
    void aRestartedNodeIsAtTheSameAddressWithItsDataAndTransactionsWork() throws Exception {
        int port;
        try (KafkaNode node = KafkaNode.start(dir, 0)) {
            port = node.port();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", node.bootstrapServers(),
                    "transactional.id", "node-test"), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "k", "committed before the restart"));
                producer.commitTransaction();
            }
        }
        try (KafkaNode again = KafkaNode.start(dir, port)) {
            assertEquals("127.0.0.1:" + port, again.bootstrapServers());
            assertEquals(List.of("committed before the restart"), readAll(again.bootstrapServers()));
        }
    }

    @Test
    void aTakenPortIsRefusedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaNode.start(dir, taken.getLocalPort()));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()) && e.getMessage().contains("LOCAL_KAFKA_PORT"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> KafkaNode.start(dir, 70_000));
    }

    private static List<String> readAll(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("kept", 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
