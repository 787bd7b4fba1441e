package io.connectorgateway.greeting.send;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The LINE channel access token of each tenant's channel. Tokens come from the environment
 * (never from code or topics): {@code GREETING_LINE_TOKEN_<TENANT>}, where {@code <TENANT>} is the
 * tenant id upper-cased with every character other than a letter or digit replaced by
 * {@code _}; {@code GREETING_LINE_TOKEN_DEFAULT} serves tenants without their own entry (one
 * shared channel, e.g. a local stack).
 */
public final class ChannelTokens {
    public static final String PREFIX = "GREETING_LINE_TOKEN_";
    public static final String DEFAULT_KEY = "DEFAULT";

    private final Map<String, String> byNormalisedTenant;

    private ChannelTokens(Map<String, String> byNormalisedTenant) {
        this.byNormalisedTenant = Map.copyOf(byNormalisedTenant);
    }

    public static ChannelTokens fromEnvironment(Map<String, String> env) {
        Map<String, String> tokens = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && v != null && !v.isBlank()) {
                tokens.put(k.substring(PREFIX.length()), v.trim());
            }
        });
        return new ChannelTokens(tokens);
    }

    /** Tokens by tenant id; the key {@value #DEFAULT_KEY} is the fallback. */
    public static ChannelTokens of(Map<String, String> byTenant) {
        Map<String, String> tokens = new HashMap<>();
        byTenant.forEach((tenant, token) -> tokens.put(normalise(tenant), token));
        return new ChannelTokens(tokens);
    }

    public Optional<String> tokenFor(String tenant) {
        String token = byNormalisedTenant.get(normalise(tenant));
        return Optional.ofNullable(token != null ? token : byNormalisedTenant.get(DEFAULT_KEY));
    }

    public int size() {
        return byNormalisedTenant.size();
    }

    static String normalise(String tenant) {
        return tenant.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        // Never print a token.
        return "ChannelTokens" + byNormalisedTenant.keySet();
    }
}
