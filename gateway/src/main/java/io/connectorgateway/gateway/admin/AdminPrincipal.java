package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;

/**
 * Who is calling, as established by {@link AdminCredentials}: a tenant admin bound to one
 * tenant, or an operator who may act on every tenant and change plans.
 */
public record AdminPrincipal(String id, Actor.Role role, String tenant) {
    public static final String REQUEST_ATTRIBUTE = "connector.admin.principal";

    public boolean operator() {
        return role == Actor.Role.OPERATOR;
    }

    /** Refuses (403) a tenant admin acting on another tenant. */
    public void requireTenant(String requested) {
        if (!operator() && !tenant.equals(requested)) {
            throw ApiException.forbidden("credential '" + id + "' may act only on tenant " + tenant);
        }
    }

    /** Refuses (403) anyone but an operator. */
    public void requireOperator(String what) {
        if (!operator()) {
            throw ApiException.forbidden(what + " needs an operator credential");
        }
    }

    public Actor actor() {
        return new Actor(id, role);
    }
}
