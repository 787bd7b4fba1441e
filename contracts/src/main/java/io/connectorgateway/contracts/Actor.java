package io.connectorgateway.contracts;

/**
 * Who caused something: an admin or operator changing settings, the stream itself (auto-grant),
 * a member, or an external user.
 *
 * @param id   the actor's identifier (admin login, member id, external user id, service name)
 * @param role what kind of actor this is
 */
public record Actor(String id, Role role) {
    /**
     * TENANT_ADMIN: settings, members and impact preview of one tenant; AUDITOR: audit and
     * history of one tenant (read-only); OPERATOR: plans, every tenant (SPEC "Admin roles").
     */
    public enum Role { TENANT_ADMIN, OPERATOR, SYSTEM, MEMBER, EXTERNAL_USER, AUDITOR }

    public Actor {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("actor id is required");
        }
        if (id.length() > 256) {
            throw new IllegalArgumentException("actor id is longer than 256 characters");
        }
        if (role == null) {
            throw new IllegalArgumentException("actor role is required");
        }
    }

    public static Actor system(String service) {
        return new Actor(service, Role.SYSTEM);
    }
}
