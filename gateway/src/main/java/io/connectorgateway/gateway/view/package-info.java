/**
 * The gateway's view application: a Kafka Streams application of its own
 * ({@code <prefix>connector-gateway-view}) that reads the tenant-partitioned topics the admin API
 * answers from into persistent, changelogged stores, one task per partition, so each gateway
 * instance holds the tenants of the partitions Kafka assigned to it; and the routing of an admin
 * request to the instance that owns its tenant (interactive-query metadata).
 */
package io.connectorgateway.gateway.view;
