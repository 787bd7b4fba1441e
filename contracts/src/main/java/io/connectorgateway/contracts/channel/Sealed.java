package io.connectorgateway.contracts.channel;

/**
 * Secrets encrypted at rest: Tink AEAD envelope encryption (a fresh AES-256-GCM data key per
 * record, itself encrypted with AES-256-GCM under the key-encryption key {@code keyId}). Bound to
 * the record it belongs to (tenant, connector, member, channel) as associated data, so a sealed
 * value copied into another tenant's record does not open.
 *
 * @param keyId      the id of the key-encryption key it was sealed under (so keys can rotate)
 * @param ciphertext Base64 of Tink's envelope (encrypted data key, then the encrypted payload)
 */
public record Sealed(String keyId, String ciphertext) {
    public Sealed {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("sealed.keyId is required");
        }
        if (ciphertext == null || ciphertext.isBlank()) {
            throw new IllegalArgumentException("sealed.ciphertext is required");
        }
    }
}
