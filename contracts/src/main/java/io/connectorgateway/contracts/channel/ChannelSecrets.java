package io.connectorgateway.contracts.channel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@link Sealed} holds once opened: the signing secret(s) (one, or two while rotating) and,
 * for LINE, the channel access token the greeting bot pushes with. Never serialised in clear onto
 * a topic; {@link #toString} hides the values.
 *
 * @param secrets     channel / bot secrets, 1 or 2
 * @param accessToken LINE channel access token (null for WORKS, or when none was given)
 */
public record ChannelSecrets(List<String> secrets, String accessToken) {
    public static final int MAX_SECRETS = 2;
    private static final int MAX_LENGTH = 4096;

    public ChannelSecrets {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        if (secrets.size() > MAX_SECRETS) {
            throw new IllegalArgumentException("at most two secrets may be active (old and new, while rotating)");
        }
        for (String s : secrets) {
            if (s == null || s.isBlank() || !s.equals(s.trim()) || s.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("a secret must be 1-" + MAX_LENGTH + " characters without surrounding blanks");
            }
        }
        if (secrets.size() == 2 && secrets.get(0).equals(secrets.get(1))) {
            throw new IllegalArgumentException("the two secrets are the same");
        }
        if (accessToken != null && (accessToken.isBlank() || accessToken.length() > MAX_LENGTH)) {
            throw new IllegalArgumentException("accessToken must be 1-" + MAX_LENGTH + " characters");
        }
        secrets = List.copyOf(secrets);
    }

    /**
     * What API answers, the CLI and audit records show instead of a secret: {@code sha256:} and the
     * first 16 hex digits of its SHA-256. Enough to tell two secrets apart and to match the one in
     * the LINE console; nothing that helps guessing a random 128-bit secret.
     */
    public static String fingerprint(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public List<String> fingerprints() {
        return secrets.stream().map(ChannelSecrets::fingerprint).toList();
    }

    @Override
    public String toString() {
        return "ChannelSecrets[" + secrets.size() + " secret(s), accessToken " + (accessToken == null ? "none" : "set") + ", hidden]";
    }
}
