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
 * The tamper-evident chain of {@code connector.audit}: each record's {@code hash} is
 * SHA-256 over the previous record's hash (of the same tenant and chain) and the record's
 * canonical JSON without its hash fields (the chain name is hashed). Altering a record breaks its hash; removing or reordering records
 * breaks the next record's {@code prevHash}.
 *
 * <p>There must be one writer per tenant and chain: the policy task that owns the tenant's
 * partition links its decisions and what other services wrote to {@code connector.audit.intake};
 * the chain is named after that writer (the policy application id).
 */
public final class AuditChain {
    /** {@code prevHash} of a tenant's first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectWriter CANONICAL = Json.mapper().writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .forType(AuditRecord.class);

    private AuditChain() {
    }

    /** The record linked after {@code prevHash} in its own chain (the chain name it carries): chain fields set. */
    public static AuditRecord link(String prevHash, AuditRecord record) {
        return link(record.chain(), prevHash, record);
    }

    /** The record linked after {@code prevHash} in chain {@code chain}: chain name and hashes set. */
    public static AuditRecord link(String chain, String prevHash, AuditRecord record) {
        String prev = prevHash == null ? GENESIS : prevHash;
        AuditRecord named = record.chained(chain, null, null);
        return named.chained(prev, hash(prev, named));
    }

    /** The hash a record must carry when it follows {@code prevHash}. */
    public static String hash(String prevHash, AuditRecord record) {
        try {
            byte[] body = CANONICAL.writeValueAsBytes(record.chained(null, null));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise audit record " + record.auditId(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Checks one record against the hash of the record before it (of the same tenant).
     *
     * @return null when the link holds, otherwise what is wrong
     */
    public static String check(String expectedPrevHash, AuditRecord record) {
        String expectedPrev = expectedPrevHash == null ? GENESIS : expectedPrevHash;
        if (record.prevHash() == null || record.hash() == null) {
            return "record " + record.auditId() + " carries no chain fields";
        }
        if (!record.prevHash().equals(expectedPrev)) {
            return "record " + record.auditId() + " says the previous hash is " + abbreviate(record.prevHash())
                    + " but the previous record's hash is " + abbreviate(expectedPrev)
                    + " (a record was removed, inserted or reordered before it)";
        }
        String actual = hash(expectedPrev, record);
        if (!actual.equals(record.hash())) {
            return "record " + record.auditId() + " does not match its hash (its content was altered)";
        }
        return null;
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
