package io.connectorgateway.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading platform JSON field by field, with errors that name the field. The translators read
 * {@link JsonNode} trees rather than binding classes because the platforms add fields and types
 * over time; only what the product needs is read, and its type is checked.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** A text field, or {@code null} when absent or JSON null; another type is an error. */
    public static String optionalText(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    public static String text(JsonNode node, String field) {
        String v = optionalText(node, field);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v;
    }

    /** A field holding a number or a numeric string (LINE sends ids and sizes either way). */
    public static String optionalScalar(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() || v.isIntegralNumber() || v.isFloatingPointNumber()) {
            return v.asText();
        }
        throw new IllegalArgumentException(field + " must be a string or a number");
    }

    public static long longValue(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        return v.asLong();
    }

    public static Long optionalLong(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : longValue(node, field);
    }

    public static boolean flag(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isBoolean() && v.asBoolean();
    }

    public static JsonNode object(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(field + " must be an object");
        }
        return v;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The node with object fields in name order, so the same content always serializes to the
     * same bytes (for content-derived ids).
     */
    public static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = Json.mapper().createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String n : names) {
                out.set(n, canonical(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = Json.mapper().createArrayNode();
            node.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return node;
    }

    /** {@code prefix} + the first 40 hex digits of SHA-256 over the parts joined by NUL. */
    public static String digestId(String prefix, String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return prefix + HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
