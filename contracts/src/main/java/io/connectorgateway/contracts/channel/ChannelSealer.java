package io.connectorgateway.contracts.channel;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import io.connectorgateway.contracts.json.Json;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seals and opens channel secrets: Google Tink's envelope AEAD ({@link KmsEnvelopeAead}: a fresh
 * AES-256-GCM data key per value, encrypted under the key-encryption key) with AES-256-GCM
 * key-encryption keys from the environment.
 *
 * <p>Keys are configured as {@value #ENV} = {@code id:base64,id:base64,...} (each key 32 random
 * bytes, {@code openssl rand -base64 32}); the first is the primary and seals new values, the others
 * only open values sealed under them. Rotation: put the new key first, keep the old one after it
 * until every record was re-sealed (a rotation or registration re-seals), then drop it.
 */
public final class ChannelSealer {
    /** The environment variable every service reads the keys from. */
    public static final String ENV = "CONNECTOR_CHANNEL_KEYS";
    private static final int KEY_BYTES = 32;

    private final String primary;
    private final Map<String, Aead> envelopes;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ChannelSealer(String primary, Map<String, Aead> envelopes) {
        this.primary = primary;
        this.envelopes = envelopes;
    }

    /**
     * @param keys the value of {@value #ENV}
     * @throws IllegalStateException with a message naming what is missing or wrong (never a key)
     */
    public static ChannelSealer fromKeys(String keys) {
        if (keys == null || keys.isBlank()) {
            throw new IllegalStateException(ENV + " is not set: channel secrets on connector.channels are encrypted under a "
                    + "key-encryption key from the environment. Set " + ENV + "=<keyId>:<base64 of 32 random bytes> "
                    + "(e.g. kek1:$(openssl rand -base64 32)), the same on every gateway and greeting-bot instance");
        }
        Map<String, Aead> envelopes = new LinkedHashMap<>();
        String primary = null;
        for (String entry : keys.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(ENV + ": each entry must be <keyId>:<base64 key>; an entry has no key id");
            }
            String id = e.substring(0, colon).trim();
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException(ENV + ": key id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
            byte[] kek;
            try {
                kek = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalStateException(ENV + ": key " + id + " is not Base64");
            }
            if (kek.length != KEY_BYTES) {
                throw new IllegalStateException(ENV + ": key " + id + " must be " + KEY_BYTES + " bytes (AES-256), got " + kek.length);
            }
            if (envelopes.containsKey(id)) {
                throw new IllegalStateException(ENV + ": key id " + id + " is given twice");
            }
            try {
                envelopes.put(id, KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, new AesGcmJce(kek)));
            } catch (GeneralSecurityException ex) {
                throw new IllegalStateException(ENV + ": key " + id + " cannot be used: " + ex.getMessage(), ex);
            }
            if (primary == null) {
                primary = id;
            }
        }
        return new ChannelSealer(primary, Map.copyOf(envelopes));
    }

    /** From {@value #ENV} in {@code env}. */
    public static ChannelSealer fromEnvironment(Map<String, String> env) {
        return fromKeys(env.get(ENV));
    }

    /** The id of the key new values are sealed under. */
    public String primaryKeyId() {
        return primary;
    }

    public boolean holds(String keyId) {
        return envelopes.containsKey(keyId);
    }

    public Sealed seal(ChannelSecrets secrets, byte[] associatedData) {
        try {
            byte[] plain = Json.mapper().writeValueAsBytes(secrets);
            return new Sealed(primary, Base64.getEncoder().encodeToString(envelopes.get(primary).encrypt(plain, associatedData)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot seal channel secrets: " + e.getMessage(), e);
        }
    }

    /**
     * @throws SealException when the key is not configured here or the value does not open with it
     *                       (wrong key, or a value moved to another record)
     */
    public ChannelSecrets open(Sealed sealed, byte[] associatedData) {
        Aead aead = envelopes.get(sealed.keyId());
        if (aead == null) {
            throw new SealException("sealed under key '" + sealed.keyId() + "', which " + ENV + " does not hold (keys here: "
                    + String.join(", ", envelopes.keySet()) + ")");
        }
        byte[] plain;
        try {
            plain = aead.decrypt(Base64.getDecoder().decode(sealed.ciphertext()), associatedData);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealException("does not open with key '" + sealed.keyId() + "' of " + ENV
                    + ": the key is not the one it was sealed with, or the value was altered");
        }
        try {
            return Json.mapper().readValue(plain, ChannelSecrets.class);
        } catch (IOException e) {
            throw new SealException("opened, but is not channel secrets");
        }
    }

    /** A sealed value that cannot be opened here. The message never contains key material. */
    public static final class SealException extends RuntimeException {
        public SealException(String message) {
            super(message);
        }
    }
}
