/**
 * Audit search and tail: {@code connector.audit} and {@code connector.history} indexed with
 * composite keys ({@link io.connectorgateway.gateway.audit.AuditIndex}: one range scan per page,
 * newest first; an offset index for long-poll tailing) in the {@code gateway-audit} store of the
 * gateway's view application, one store per partition: each instance holds its own tenants only.
 * {@link io.connectorgateway.gateway.audit.AuditSearch} is the one search (checks, page, the audit
 * record of each read of content) behind the admin API and the console's Admin Audit pages.
 */
package io.connectorgateway.gateway.audit;
