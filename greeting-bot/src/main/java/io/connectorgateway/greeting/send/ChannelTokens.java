package io.connectorgateway.greeting.send;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The LINE channel access token of the channel a greeting goes out from. Tokens come from the
 * environment (never from code or topics), most specific first:
 * {@code GREETING_LINE_MEMBER_TOKEN_<TENANT>__<MEMBER>} (the member's own channel, as the gateway's
 * registry has one LINE channel per member), {@code GREETING_LINE_TOKEN_<TENANT>} (one channel for
 * the tenant), {@code GREETING_LINE_TOKEN_DEFAULT} (one shared channel, e.g. a local stack). Ids
 * are upper-cased with every character other than a letter or digit replaced by {@code _}. Member
 * entries have a prefix of their own, so no tenant id can be mistaken for a tenant and member.
 */
public final class ChannelTokens {
    public static final String PREFIX = "GREETING_LINE_TOKEN_";
    public static final String MEMBER_PREFIX = "GREETING_LINE_MEMBER_TOKEN_";
    /** Member entries are kept under this mark, which no normalised tenant id contains. */
    private static final String MEMBER_MARK = "MEMBER:";
    public static final String DEFAULT_KEY = "DEFAULT";

    private final Map<String, String> byNormalisedTenant;

    private ChannelTokens(Map<String, String> byNormalisedTenant) {
        this.byNormalisedTenant = Map.copyOf(byNormalisedTenant);
    }

    public static ChannelTokens fromEnvironment(Map<String, String> env) {
        Map<String, String> tokens = new HashMap<>();
        env.forEach((k, v) -> {
            if (v == null || v.isBlank()) {
                return;
            }
            if (k.startsWith(PREFIX)) {
                tokens.put(k.substring(PREFIX.length()), v.trim());
            } else if (k.startsWith(MEMBER_PREFIX)) {
                tokens.put(MEMBER_MARK + k.substring(MEMBER_PREFIX.length()), v.trim());
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

    /** A channel: the name of the entry that matched (the rate-limit key) and its token. */
    public record Channel(String name, String token) {
        @Override
        public String toString() {
            return "Channel[" + name + "]"; // never print a token
        }
    }

    /** The channel of the member's greetings: the member's own, else the tenant's, else the default. */
    public Optional<Channel> channelFor(String tenant, String member) {
        for (String key : new String[] {MEMBER_MARK + memberKey(tenant, member), normalise(tenant), DEFAULT_KEY}) {
            String token = byNormalisedTenant.get(key);
            if (token != null) {
                return Optional.of(new Channel(key, token));
            }
        }
        return Optional.empty();
    }

    public Optional<String> tokenFor(String tenant, String member) {
        return channelFor(tenant, member).map(Channel::token);
    }

    /** The suffix, after {@link #MEMBER_PREFIX}, of a member's own channel token variable. */
    public static String memberKey(String tenant, String member) {
        return normalise(tenant) + "__" + normalise(member);
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
