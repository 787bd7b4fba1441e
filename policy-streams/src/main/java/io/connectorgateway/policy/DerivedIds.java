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

    /** {@code prefix + id}, or {@code prefix + hash(id)} when that would exceed the id length limit. */
    static String of(String prefix, String id) {
        String plain = prefix + id;
        return plain.length() <= MAX ? plain : prefix + sha256(id).substring(0, 40);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
