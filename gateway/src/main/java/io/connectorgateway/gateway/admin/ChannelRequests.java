package io.connectorgateway.gateway.admin;

import java.util.List;

/** Bodies of the channel registry calls (ADMIN.md, "Channels"). Unknown fields are refused. */
public final class ChannelRequests {
    private ChannelRequests() {
    }

    /**
     * Register (or re-register) the member's LINE channel / WORKS bot. A different {@code channelId}
     * than the current one replaces it; the replaced one is kept as previous (its follows refused and audited).
     */
    public record Register(String channelId, String destination, String friendLink, List<String> secrets,
                           String accessToken, Long expectedVersion, String reason) {
        public Register {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }
    }

    /**
     * Rotate: add a secret (then two are accepted: old and new), remove one by its fingerprint,
     * and/or replace the access token.
     */
    public record Rotate(String addSecret, String removeSecret, String accessToken, Long expectedVersion, String reason) {
    }

    /** Retire the member's current channel: no channel in force any more. */
    public record Retire(Long expectedVersion, String reason) {
    }
}
