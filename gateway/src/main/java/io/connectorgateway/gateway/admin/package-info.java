/**
 * The settings producer: the admin HTTP API through which admins change connector settings,
 * connected members and (operators) plans. It validates with the contracts' {@code SettingsRules},
 * authorises bearer credentials stored as hashes, writes {@code connector.settings} /
 * {@code connector.members} together with the audit record in one Kafka transaction, and answers
 * from the stores of the gateway's view application ({@link io.connectorgateway.gateway.admin.ControlView}
 * over {@code view.GatewayView}) on the instance that owns the tenant's partition, waiting until its
 * own write is visible there (read-your-writes). See gateway/ADMIN.md.
 */
package io.connectorgateway.gateway.admin;
