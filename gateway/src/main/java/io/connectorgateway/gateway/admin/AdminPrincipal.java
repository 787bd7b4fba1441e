package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;

/**
 * Who is calling, as established by {@link AdminCredentials}: a tenant admin or an auditor bound
 * to one tenant, or an operator who may act on every tenant and change plans. What each may call is
 * decided once, by {@link AdminAuthFilter}, from the route's {@link AdminAccess}.
 */
public record AdminPrincipal(String id, Actor.Role role, String tenant) {
    public static final String REQUEST_ATTRIBUTE = "connector.admin.principal";

    public boolean operator() {
        return role == Actor.Role.OPERATOR;
    }

    /** True when this credential may act on {@code requested}: its own tenant, or any for an operator. */
    public boolean mayActOn(String requested) {
        return operator() || tenant.equals(requested);
    }

    public Actor actor() {
        return new Actor(id, role);
    }
}
