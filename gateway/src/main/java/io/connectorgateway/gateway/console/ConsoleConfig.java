package io.connectorgateway.gateway.console;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Console configuration, prefix {@code gateway.console} (environment {@code GATEWAY_CONSOLE_*}).
 *
 * @param sessionKey base64 of at least 32 random bytes that signs session cookies and CSRF tokens;
 *                   give every instance the same key so that each accepts the others' sessions.
 *                   Unset: a random key per instance (sessions end with a restart and are valid on
 *                   the instance that issued them only)
 * @param sessionTtl how long a sign-in lasts
 */
@ConfigurationProperties("gateway.console")
public record ConsoleConfig(@Nullable String sessionKey, @Bindable(defaultValue = "4h") Duration sessionTtl) {
    public ConsoleConfig {
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("gateway.console.session-ttl must be positive");
        }
    }
}
