/**
 * Health: on the public port only {@code /health} as UP/DOWN ({@link
 * io.connectorgateway.gateway.health.PublicHealthController}); on the management port
 * ({@code GATEWAY_MANAGEMENT_PORT}) {@code /health} with details, {@code /health/liveness} (the
 * process), {@code /health/readiness} (Kafka reachable) and the metrics at {@code /prometheus}.
 */
package io.connectorgateway.gateway.health;
