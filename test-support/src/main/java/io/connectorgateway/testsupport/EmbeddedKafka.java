package io.connectorgateway.testsupport;

import io.connectorgateway.kafka.embedded.KafkaNode;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined broker and controller) running in this JVM, from Apache
 * Kafka's own server code. Configured for exactly-once on one node: the transaction state log
 * and the offsets topic have replication factor 1 and min ISR 1.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Broker settings that make one node behave like a small production cluster for EOS (the local stack's too). */
    public static final Map<String, String> SINGLE_NODE_CONFIG = KafkaNode.SINGLE_NODE_CONFIG;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a broker with its data in a temporary directory, deleted on close (the local stack's
     * broker, with kept data on a fixed port, is {@link KafkaNode}).
     */
    public static EmbeddedKafka start() {
        guardAgainstExit();
        long started = System.nanoTime();
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            SINGLE_NODE_CONFIG.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            LOG.info("embedded Kafka broker ready at {} in {} ms", cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e, e);
        }
    }

    /**
     * A broker fault inside the JVM must fail the test that caused it, not kill the JVM (and with
     * it Surefire's fork and every other test's report).
     */
    static void guardAgainstExit() {
        KafkaNode.guardAgainstExit();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The underlying test kit, for fault tests that stop and start the broker. */
    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("embedded Kafka broker did not close cleanly", e);
        }
    }
}
