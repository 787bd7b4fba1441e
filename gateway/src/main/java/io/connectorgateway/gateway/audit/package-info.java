/**
 * Audit search and tail: {@code connector.audit} and {@code connector.history} materialised into a
 * local RocksDB store with composite keys (one range scan per page, newest first), and a recent-record
 * buffer addressed by Kafka offsets for long-poll tailing. Every instance holds the whole trail.
 */
package io.connectorgateway.gateway.audit;
