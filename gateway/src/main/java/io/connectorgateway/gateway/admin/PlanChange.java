package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Plan;

/** An operator's change of a tenant's plan, written to both connector rows. */
public record PlanChange(Plan plan, String reason) {
}
