/**
 * The admin console (issue 15): the admin guides' screens, rendered on the server (Micronaut Views
 * with JTE templates from {@code src/main/jte/console}), plain form posts, no scripts. It holds no
 * rule of its own: every page calls the admin API's services ({@code admin.SettingsService},
 * {@code admin.ImpactPreview}, {@code audit.AuditSearch} for Admin Audit) on the instance that owns the tenant ({@code view.TenantRouter}),
 * as the signed-in credential, and who may open which page is decided by {@link
 * io.connectorgateway.gateway.console.ConsoleFilter} from the same {@code @AdminAccess}
 * declarations and {@code AdminPrincipal.mayActOn} rule as {@code admin.AdminAuthFilter}.
 * See docs/console.md.
 */
package io.connectorgateway.gateway.console;
