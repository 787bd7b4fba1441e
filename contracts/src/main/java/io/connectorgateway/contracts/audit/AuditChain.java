package io.connectorgateway.contracts.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.connectorgateway.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tamper-evident chain of {@code connector.audit}. Each record's {@code hash} covers the
 * previous record's hash (of the same tenant and chain) and the record's canonical JSON without
 * its hash fields (chain name and key id included):
 * <ul>
 *   <li><b>keyed</b> (this release): HMAC-SHA256 under the audit chain key named by the record's
 *       {@code keyId} ({@link AuditKeys}), over {@code "audit-record\n" + prevHash + "\n" + json}.
 *       Without the key nobody can compute a valid hash, so a rewritten or inserted record, or a
 *       consistently rewritten suffix, is detected;</li>
 *   <li><b>unkeyed</b> (records of earlier releases, {@code keyId} null): SHA-256 over
 *       {@code prevHash + "\n" + json}. Still verified, but anyone who can write the topic can
 *       recompute such a chain; they are reported as unkeyed. Once a chain holds a keyed record,
 *       an unkeyed record after it is a break (no downgrade).</li>
 * </ul>
 * Removing or reordering records breaks the next record's {@code prevHash}; cutting off the end
 * of a chain is what {@link AuditCheckpoint}s detect.
 *
 * <p>There must be one writer per tenant and chain: the policy task that owns the tenant's
 * partition links its decisions and what other services wrote to {@code connector.audit.intake};
 * the chain is named after that writer (the policy application id).
 */
public final class AuditChain {
    /** {@code prevHash} of a tenant's first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] RECORD_DOMAIN = "audit-record\n".getBytes(StandardCharsets.US_ASCII);

    static final ObjectWriter CANONICAL = Json.mapper().writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AuditChain() {
    }

    /** The record linked after {@code prevHash} in chain {@code chain}, keyed with the active key of {@code keys}. */
    public static AuditRecord link(String chain, String prevHash, AuditRecord record, AuditKeys keys) {
        String prev = prevHash == null ? GENESIS : prevHash;
        AuditRecord named = record.chained(chain, keys.activeId(), null, null);
        return named.chained(prev, hash(prev, named, keys));
    }

    /**
     * The record linked after {@code prevHash} as earlier releases did: plain SHA-256, no key id.
     * Only for reading and testing records of those releases; nothing writes such records any more.
     */
    public static AuditRecord linkUnkeyed(String chain, String prevHash, AuditRecord record) {
        String prev = prevHash == null ? GENESIS : prevHash;
        AuditRecord named = record.chained(chain, null, null, null);
        return named.chained(prev, hash(prev, named, null));
    }

    /**
     * The hash a record must carry when it follows {@code prevHash}: HMAC-SHA256 under its key id,
     * or SHA-256 when it has none.
     *
     * @throws IllegalArgumentException when the record names a key id that {@code keys} does not hold
     */
    public static String hash(String prevHash, AuditRecord record, AuditKeys keys) {
        byte[] body = canonical(record.chained(null, null), record.auditId());
        byte[] prev = prevHash.getBytes(StandardCharsets.US_ASCII);
        if (record.keyId() != null) {
            if (keys == null || !keys.has(record.keyId())) {
                throw new IllegalArgumentException("no audit chain key with id '" + record.keyId() + "' is configured");
            }
            return HexFormat.of().formatHex(keys.mac(record.keyId(), RECORD_DOMAIN, prev, new byte[] {'\n'}, body));
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev);
            sha.update((byte) '\n');
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static byte[] canonical(Object value, String what) {
        try {
            return CANONICAL.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + what, e);
        }
    }

    /**
     * Checks one record against the hash of the record before it (of the same tenant and chain).
     *
     * @return null when the link holds, otherwise what is wrong
     */
    public static String check(String expectedPrevHash, AuditRecord record, AuditKeys keys) {
        String expectedPrev = expectedPrevHash == null ? GENESIS : expectedPrevHash;
        if (record.prevHash() == null || record.hash() == null) {
            return "record " + record.auditId() + " carries no chain fields";
        }
        if (!record.prevHash().equals(expectedPrev)) {
            return "record " + record.auditId() + " says the previous hash is " + abbreviate(record.prevHash())
                    + " but the previous record's hash is " + abbreviate(expectedPrev)
                    + " (a record was removed, inserted or reordered before it)";
        }
        if (record.keyId() != null && (keys == null || !keys.has(record.keyId()))) {
            return "record " + record.auditId() + " is signed with key id '" + record.keyId()
                    + "', which is not among the configured audit chain keys " + (keys == null ? "[]" : keys.ids())
                    + " (a forged record, or a key missing from " + AuditKeys.ENV + ")";
        }
        String actual = hash(expectedPrev, record, keys);
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                record.hash().getBytes(StandardCharsets.US_ASCII))) {
            return "record " + record.auditId() + " does not match its "
                    + (record.keyId() == null ? "hash" : "HMAC (key id " + record.keyId() + ")")
                    + " (its content was altered, or it was written without the key)";
        }
        return null;
    }

    static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
