package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles, besides the operator, that may call an admin route (SPEC "Admin roles"). Read by
 * {@link AdminAuthFilter} from the matched route, for every {@code /admin/v1/tenants/{t}/**} route:
 * an operator may call every route, a route without this annotation is for operators only, and a
 * tenant-bound role (tenant admin, auditor) only ever reaches its own tenant. A controller therefore
 * never checks roles or tenants by hand, and a route added without thinking about it is closed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AdminAccess {
    /** Tenant-bound roles allowed besides {@code OPERATOR}; empty = operators only. */
    Actor.Role[] value();
}
