/**
 * A real Kafka broker for tests. Never an in-memory fake: the product's promises (exactly-once,
 * read_committed, rebalances, transactions) only mean something against Kafka's own broker code.
 *
 * <p>Which broker is chosen, once per test JVM:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} set: that external cluster;</li>
 *   <li>{@code -Dkafka.broker=container}: Testcontainers' {@code KafkaContainer}; skipped with a
 *       message when no Docker engine is reachable;</li>
 *   <li>otherwise: an in-process single-node KRaft broker ({@code KafkaClusterTestKit}).</li>
 * </ol>
 */
package io.connectorgateway.testsupport;
