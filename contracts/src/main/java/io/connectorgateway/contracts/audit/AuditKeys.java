package io.connectorgateway.contracts.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 keys of the audit chain, by key id: every keyed audit record and checkpoint
 * names the id of the key it was signed with, so keys rotate (add the new key, make it active,
 * keep the old ones for as long as records signed with them are verified).
 *
 * <p>Configuration (environment, never code): {@value #ENV} = a comma-separated list of
 * {@code id:base64key} (at least {@value #MIN_KEY_BYTES} bytes each; ids are letters, digits, '.',
 * '_' or '-'), or {@value #ENV_FILE} = a file holding that list; {@value #ENV_ACTIVE} = the id new
 * records are signed with (needed when there is more than one key). {@link #toString()} never shows
 * key material.
 */
public final class AuditKeys {
    public static final String ENV = "AUDIT_CHAIN_KEYS";
    public static final String ENV_FILE = "AUDIT_CHAIN_KEYS_FILE";
    public static final String ENV_ACTIVE = "AUDIT_CHAIN_KEY_ID";
    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String ID = "[A-Za-z0-9._\\-]{1,64}";

    private final Map<String, SecretKeySpec> keys;
    private final String activeId;
    /** Mac objects are not thread-safe and costly to create: one per thread and key id. */
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

    private AuditKeys(Map<String, SecretKeySpec> keys, String activeId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.activeId = activeId;
    }

    /**
     * Parses a key list.
     *
     * @param list     {@code id:base64key[,id:base64key...]}
     * @param activeId the id to sign with; null or blank: the only key of the list
     * @throws IllegalArgumentException naming what is wrong (never the key material)
     */
    public static AuditKeys parse(String list, String activeId) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(ENV + " is empty");
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String id = colon < 0 ? "" : e.substring(0, colon).trim();
            if (!id.matches(ID)) {
                throw new IllegalArgumentException(ENV + ": every entry must be id:base64key with an id of 1-64 letters, "
                        + "digits, '.', '_' or '-' (entry " + (keys.size() + 1) + " is not)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(ENV + ": the key of id '" + id + "' is not base64", bad);
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException(ENV + ": the key of id '" + id + "' has " + key.length
                        + " bytes, at least " + MIN_KEY_BYTES + " are needed (e.g. openssl rand -base64 32)");
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, ALGORITHM)) != null) {
                throw new IllegalArgumentException(ENV + ": key id '" + id + "' appears twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(ENV + " lists no key");
        }
        String active = activeId == null || activeId.isBlank() ? null : activeId.trim();
        if (active == null) {
            if (keys.size() > 1) {
                throw new IllegalArgumentException(ENV + " lists " + keys.size() + " keys " + keys.keySet() + ": set "
                        + ENV_ACTIVE + " to the one new records are signed with");
            }
            active = keys.keySet().iterator().next();
        } else if (!keys.containsKey(active)) {
            throw new IllegalArgumentException(ENV_ACTIVE + " is '" + active + "', which is not among the ids of " + ENV
                    + " " + keys.keySet());
        }
        return new AuditKeys(keys, active);
    }

    /**
     * The keys from {@value #ENV} or {@value #ENV_FILE}, and {@value #ENV_ACTIVE}.
     *
     * @param who the service or command that needs them, for the message when they are missing
     * @throws IllegalArgumentException when none is configured (saying what to set) or they are invalid
     */
    public static AuditKeys fromEnvironment(Map<String, String> env, String who) {
        String list = env.get(ENV);
        String file = env.get(ENV_FILE);
        if ((list == null || list.isBlank()) && file != null && !file.isBlank()) {
            try {
                list = Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(ENV_FILE + " " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(who + " needs the audit chain key: set " + ENV
                    + " to id:base64key (at least " + MIN_KEY_BYTES + " random bytes, e.g. "
                    + ENV + "=k1:$(openssl rand -base64 32)), or " + ENV_FILE + " to a file holding it; with several keys, "
                    + ENV_ACTIVE + " names the one to sign with");
        }
        return parse(list, env.get(ENV_ACTIVE));
    }

    /** A fresh random key list entry {@code id:base64key} (for the local stack and tests: generated, never written in code). */
    public static String generate(String id) {
        if (!id.matches(ID)) {
            throw new IllegalArgumentException("invalid key id " + id);
        }
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    /** The id new records and checkpoints are signed with. */
    public String activeId() {
        return activeId;
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    public boolean has(String id) {
        return id != null && keys.containsKey(id);
    }

    /** HMAC-SHA256 of the parts, in order, under key {@code id}. */
    byte[] mac(String id, byte[]... parts) {
        SecretKeySpec key = keys.get(id);
        if (key == null) {
            throw new IllegalArgumentException("no audit chain key with id '" + id + "' is configured");
        }
        Mac mac = macs.get().computeIfAbsent(id, i -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        });
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Override
    public String toString() {
        return "AuditKeys" + keys.keySet() + " active=" + activeId;
    }
}
