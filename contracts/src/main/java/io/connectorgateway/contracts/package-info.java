/**
 * The public Kafka contract of the connector gateway: every record that crosses a topic, the
 * one hardened JSON mapper that reads and writes them, and the topic catalogue.
 *
 * <p>Topic names and record fields are an API used by the messaging platform; change them only
 * additively and bump {@code schemaVersion} when a record's meaning changes.
 */
package io.connectorgateway.contracts;
