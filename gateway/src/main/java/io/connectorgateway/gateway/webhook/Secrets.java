package io.connectorgateway.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing secrets of one LINE channel or WORKS bot: one, or two while a secret is being
 * rotated (both the old and the new one are accepted until the old one is removed from config).
 *
 * <p>Verification is HMAC-SHA256 over the raw body, Base64 in the header. Every active secret is
 * tried and the comparisons are {@link MessageDigest#isEqual} (constant time), so neither timing
 * nor the order of the secrets tells an attacker how close a forgery came. {@link #toString} never
 * shows a secret.
 */
public final class Secrets {
    private static final String HMAC = "HmacSHA256";
    private final List<SecretKeySpec> keys;

    private Secrets(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /** @throws IllegalArgumentException unless there are one or two non-blank secrets */
    public static Secrets of(List<String> secrets, String owner) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException(owner + ": at least one secret is required");
        }
        if (secrets.size() > 2) {
            throw new IllegalArgumentException(owner + ": at most two secrets may be active (old and new, while rotating), got "
                    + secrets.size());
        }
        return new Secrets(secrets.stream().map(s -> {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(owner + ": a secret is blank");
            }
            return new SecretKeySpec(s.trim().getBytes(StandardCharsets.UTF_8), HMAC);
        }).toList());
    }

    public int size() {
        return keys.size();
    }

    /** Whether {@code signatureHeader} is the Base64 HMAC-SHA256 of {@code body} under any active secret. */
    public boolean verify(String signatureHeader, byte[] body) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        String presented = signatureHeader.trim();
        byte[] provided;
        try {
            provided = Base64.getDecoder().decode(presented);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        // Only the canonical encoding counts: Java's decoder also takes a signature without its
        // padding, or with other values in the unused low bits of the last digit, which would make
        // several different headers valid for one body.
        if (!Base64.getEncoder().encodeToString(provided).equals(presented)) {
            return false;
        }
        boolean match = false;
        for (SecretKeySpec key : keys) {
            // no early exit: the work done does not depend on which secret matched
            match |= MessageDigest.isEqual(sign(key, body), provided);
        }
        return match;
    }

    /** Base64 HMAC-SHA256 of {@code body} with {@code secret}: what the platforms put in the header. */
    public static String signature(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(sign(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC), body));
    }

    private static byte[] sign(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Secrets[" + keys.size() + " active, hidden]";
    }
}
