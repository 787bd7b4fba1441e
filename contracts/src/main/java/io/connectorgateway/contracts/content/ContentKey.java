package io.connectorgateway.contracts.content;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import java.util.Base64;

/**
 * The data key of one message, on {@code connector.content.keys} (compacted, key
 * {@code tenant:connector:eventId}, on the tenant's partition). Every sealed copy of the message's
 * content ({@link SealedContent} in {@code connector.history}, and in the gateway view's store and
 * changelog) is encrypted under it. An unsend writes a tombstone for the key: once compaction has
 * removed the record, no copy can be opened any more (crypto-shredding).
 *
 * @param schemaVersion record schema version
 * @param tenant        tenant
 * @param connector     connector
 * @param eventId       the message event
 * @param algorithm     {@value SealedContent#AES256_GCM}
 * @param key           the 32 key bytes, base64 (standard alphabet, padded)
 */
public record ContentKey(int schemaVersion, String tenant, Connector connector, String eventId, String algorithm,
                         String key) {
    public static final int SCHEMA_VERSION = 1;

    public ContentKey {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("tenant", tenant);
        Ids.require("eventId", eventId);
        if (connector == null) {
            throw new IllegalArgumentException("connector is required");
        }
        if (!SealedContent.AES256_GCM.equals(algorithm)) {
            throw new IllegalArgumentException("algorithm must be " + SealedContent.AES256_GCM + ", got " + algorithm);
        }
        if (key == null || keyBytesOf(key).length != 32) {
            throw new IllegalArgumentException("key must be 32 bytes, base64");
        }
    }

    /** The record key on {@code connector.content.keys}, and the key id a sealed copy names. */
    public String id() {
        return Ids.messageKey(tenant, connector, eventId);
    }

    byte[] keyBytes() {
        return keyBytesOf(key);
    }

    private static byte[] keyBytesOf(String key) {
        try {
            return Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not base64");
        }
    }

    @Override
    public String toString() {
        return "ContentKey[" + id() + ", " + algorithm + ", key=(hidden)]";
    }
}
