/**
 * Health and readiness: {@code /health} (everything), {@code /health/liveness} (the process),
 * {@code /health/readiness} (Kafka reachable). Metrics are at {@code /prometheus}.
 */
package io.connectorgateway.gateway.health;
