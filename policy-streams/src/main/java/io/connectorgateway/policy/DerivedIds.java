package io.connectorgateway.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids the processor derives from its inputs (command ids, delivery ids). Derived, never random,
 * so a retried transaction or a replay emits the same ids and downstream de-duplication works.
 */
final class DerivedIds {
    private static final int MAX = 128;

    private DerivedIds() {
    }

    /**
     * The id of something derived from one tenant's event: {@code prefix + hash(tenant:connector:eventId)}
     * (160 bits). Event ids are chosen by each tenant's sources, so the same id in two tenants names two
     * events: the tenant and connector are part of what is hashed, and two tenants never derive the same
     * id (a greeting's retry key, a delivery id). {@code ':'} cannot occur in the parts, so the joined
     * string names one triple only.
     */
    static String of(String prefix, String tenant, io.connectorgateway.contracts.Connector connector, String eventId) {
        return prefix + sha256(tenant + ':' + connector.name() + ':' + eventId).substring(0, 40);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
