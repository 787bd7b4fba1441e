package io.connectorgateway.contracts.content;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

/**
 * A message's content (text and attachments) encrypted under its {@link ContentKey}, as it is
 * written wherever content is kept for longer than the hand-off (the searchable history).
 *
 * <p>The format is plain AES-256-GCM, readable in any language without Tink: {@code ciphertext} is
 * base64 of {@code nonce (12 bytes) || encrypted bytes || tag (16 bytes)}; the associated data is
 * the UTF-8 bytes of {@code keyId} (so a copy cannot be passed off as another message's); the
 * plaintext is the UTF-8 JSON object {@code {"text": ..., "attachments": [...]}} with the event's
 * fields. Tink's AES-GCM with the NO_PREFIX variant writes exactly this.
 *
 * @param algorithm  {@value #AES256_GCM}
 * @param keyId      {@code tenant:connector:eventId}: the record key of the {@link ContentKey}
 * @param ciphertext base64 (standard alphabet, padded)
 */
public record SealedContent(String algorithm, String keyId, String ciphertext) {
    public static final String AES256_GCM = "AES256_GCM";
    private static final AesGcmParameters PARAMETERS = parameters();

    public SealedContent {
        if (!AES256_GCM.equals(algorithm)) {
            throw new IllegalArgumentException("sealed.algorithm must be " + AES256_GCM + ", got " + algorithm);
        }
        if (keyId == null || keyId.isBlank() || ciphertext == null || ciphertext.isBlank()) {
            throw new IllegalArgumentException("sealed content needs a keyId and a ciphertext");
        }
    }

    /** What a sealed copy holds. */
    public record Content(String text, List<Attachment> attachments) {
        public Content {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    /** A new random data key for one message. */
    public static ContentKey newKey(String tenant, Connector connector, String eventId) {
        try {
            byte[] bytes = SecretBytes.randomBytes(32).toByteArray(InsecureSecretKeyAccess.get());
            return new ContentKey(ContentKey.SCHEMA_VERSION, tenant, connector, eventId, AES256_GCM,
                    Base64.getEncoder().encodeToString(bytes));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot make a content key", e);
        }
    }

    /** Seals {@code content} under {@code key}. */
    public static SealedContent seal(ContentKey key, Content content) {
        try {
            byte[] plain = Json.writer().writeValueAsBytes(content);
            byte[] sealed = aead(key).encrypt(plain, key.id().getBytes(StandardCharsets.UTF_8));
            return new SealedContent(AES256_GCM, key.id(), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal the content of " + key.id(), e);
        }
    }

    /**
     * Opens this copy with {@code key}.
     *
     * @throws IllegalArgumentException when the key is not this copy's, or the copy was altered
     */
    public Content open(ContentKey key) {
        if (!key.id().equals(keyId)) {
            throw new IllegalArgumentException("content sealed under " + keyId + " cannot be opened with key " + key.id());
        }
        try {
            byte[] plain = aead(key).decrypt(Base64.getDecoder().decode(ciphertext), keyId.getBytes(StandardCharsets.UTF_8));
            return Json.mapper().readValue(plain, Content.class);
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("content sealed under " + keyId + " does not open with its key", e);
        }
    }

    @JsonIgnore
    public String tenant() {
        return keyId.substring(0, Math.max(0, keyId.indexOf(':')));
    }

    private static Aead aead(ContentKey key) throws GeneralSecurityException {
        return AesGcmJce.create(AesGcmKey.builder().setParameters(PARAMETERS)
                .setKeyBytes(SecretBytes.copyFrom(key.keyBytes(), InsecureSecretKeyAccess.get())).build());
    }

    private static AesGcmParameters parameters() {
        try {
            return AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM parameters", e);
        }
    }
}
