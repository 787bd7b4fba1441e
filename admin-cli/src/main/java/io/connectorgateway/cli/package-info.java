/**
 * {@code connector-admin}, the admin CLI (picocli). It only calls the admin HTTP API, so it is
 * subject to exactly the same authorisation, validation and audit as any other client.
 */
package io.connectorgateway.cli;
