/**
 * The gateway's Kafka side: environment, topic catalogue (created at startup), the one durable
 * producer every HTTP endpoint shares.
 */
package io.connectorgateway.gateway.kafka;
