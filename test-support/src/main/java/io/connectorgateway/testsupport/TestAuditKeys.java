package io.connectorgateway.testsupport;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * An audit chain key for tests, generated at random once per JVM (never a key written in code):
 * services that link or verify the audit chain refuse to start without {@code AUDIT_CHAIN_KEYS}.
 */
public final class TestAuditKeys {
    /** {@code id:base64key}, the format of {@code AUDIT_CHAIN_KEYS}. */
    public static final String KEYS = generate("test");

    private TestAuditKeys() {
    }

    /** A fresh random {@code id:base64key} entry (32 bytes). */
    public static String generate(String id) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    /** The environment entry that gives a service this JVM's test key. */
    public static Map<String, String> env() {
        return Map.of("AUDIT_CHAIN_KEYS", KEYS);
    }
}
