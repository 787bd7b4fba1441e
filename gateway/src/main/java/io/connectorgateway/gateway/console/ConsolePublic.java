package io.connectorgateway.gateway.console;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A console route that needs no session (sign-in, language switch). Every other console route needs
 * a signed-in credential whose role the route admits with {@code @AdminAccess} ({@link ConsoleFilter}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ConsolePublic {
}
