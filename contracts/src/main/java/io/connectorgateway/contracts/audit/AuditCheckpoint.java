package io.connectorgateway.contracts.audit;

import io.connectorgateway.contracts.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A signed statement of how far one audit chain reached, on {@code connector.audit.checkpoints}
 * (key {@code tenant:chain}, compacted): the chain's writer (the policy task) writes one every
 * so many records and every so many seconds, in the same transaction as the records it covers.
 * {@code audit verify} reads them first, then the chain: a checkpoint whose head is not at position
 * {@code records} after {@code base} on {@code connector.audit} means records were cut off the end
 * (or deleted, inserted or rewritten before it).
 *
 * @param schemaVersion record schema version
 * @param tenant        tenant of the chain
 * @param chain         the chain's name (its writer, the policy application id)
 * @param keyId         id of the audit chain key whose HMAC-SHA256 is {@code mac}
 * @param base          hash after which counting starts: {@link AuditChain#GENESIS} for a chain the
 *                      writer started, otherwise the head of an unkeyed chain of an earlier release
 *                      that this writer continued
 * @param head          hash of the last record covered
 * @param records       how many records follow {@code base}, up to and including {@code head}
 * @param timestamp     epoch milliseconds when the checkpoint was written (writer's clock)
 * @param mac           HMAC-SHA256 over {@code "audit-checkpoint\n"} + the canonical JSON of the other fields, hex
 */
public record AuditCheckpoint(int schemaVersion, String tenant, String chain, String keyId, String base, String head,
                              long records, long timestamp, String mac) {
    public static final int SCHEMA_VERSION = 1;
    private static final byte[] DOMAIN = "audit-checkpoint\n".getBytes(StandardCharsets.US_ASCII);

    public AuditCheckpoint {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("tenant", tenant);
        if (chain == null || chain.isBlank()) {
            throw new IllegalArgumentException("chain is required");
        }
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("keyId is required: a checkpoint is always signed");
        }
        if (base == null || head == null) {
            throw new IllegalArgumentException("base and head are required");
        }
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1");
        }
    }

    /** The checkpoint's key on its topic: one per tenant and chain. */
    public static String key(String tenant, String chain) {
        return tenant + ":" + chain;
    }

    public String key() {
        return key(tenant, chain);
    }

    /** A checkpoint signed with the active key of {@code keys}. */
    public static AuditCheckpoint sign(String tenant, String chain, String base, String head, long records, long timestamp,
                                       AuditKeys keys) {
        AuditCheckpoint unsigned = new AuditCheckpoint(SCHEMA_VERSION, tenant, chain, keys.activeId(), base, head, records,
                timestamp, null);
        return unsigned.withMac(unsigned.expectedMac(keys));
    }

    private AuditCheckpoint withMac(String newMac) {
        return new AuditCheckpoint(schemaVersion, tenant, chain, keyId, base, head, records, timestamp, newMac);
    }

    private String expectedMac(AuditKeys keys) {
        return HexFormat.of().formatHex(keys.mac(keyId, DOMAIN, AuditChain.canonical(withMac(null), "checkpoint " + key())));
    }

    /** @return null when the signature holds under {@code keys}, otherwise what is wrong */
    public String check(AuditKeys keys) {
        if (!keys.has(keyId)) {
            return "checkpoint of " + Instant.ofEpochMilli(timestamp) + " is signed with key id '" + keyId
                    + "', which is not among the configured audit chain keys " + keys.ids() + " (forged, or a key missing from "
                    + AuditKeys.ENV + ")";
        }
        if (mac == null || !MessageDigest.isEqual(mac.getBytes(StandardCharsets.US_ASCII),
                expectedMac(keys).getBytes(StandardCharsets.US_ASCII))) {
            return "checkpoint of " + Instant.ofEpochMilli(timestamp) + " does not match its HMAC (forged or altered)";
        }
        return null;
    }

    /** How a report names it. */
    public String describe() {
        return "checkpoint of " + Instant.ofEpochMilli(timestamp) + " (" + records + " records after "
                + AuditChain.abbreviate(base) + ", head " + AuditChain.abbreviate(head) + ", key " + keyId + ")";
    }
}
