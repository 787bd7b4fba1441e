package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.input.UntrustedJson;
import io.micronaut.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Request parsing shared by the admin controllers, with the project's hardened mapper: strict
 * (an unknown, probably misspelt field is refused rather than silently ignored), size- and
 * depth-limited. Path values are checked with the contracts' id rules.
 */
public final class RequestJson {
    /**
     * The contracts' hardened mapper, plus: a number or boolean where a string is expected is
     * refused (the shared mapper turns {@code 42} into {@code "42"}), so that {@code "add": [1]}
     * or {@code "reason": true} is a type error and not a member id or a reason.
     */
    private static final ObjectReader READER;

    static {
        ObjectMapper mapper = Json.mapper().copy();
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        READER = mapper.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private RequestJson() {
    }

    public static <T> T read(byte[] body, Class<T> type) {
        if (body == null || new String(body, StandardCharsets.ISO_8859_1).isBlank()) {
            throw ApiException.badRequest("a JSON body is required");
        }
        String utf8 = UntrustedJson.utf8Problem(body);
        if (utf8 != null) {
            throw ApiException.badRequest(utf8);
        }
        T value;
        try {
            value = READER.forType(type).readValue(body);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // the records' own validation speaks the client's language; Jackson's messages do not
            String message = root instanceof IllegalArgumentException ? root.getMessage() : UntrustedJson.describe(e);
            throw ApiException.badRequest("malformed JSON body: " + message);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body");
        }
        if (value == null) {
            throw ApiException.badRequest("the body must be a JSON object, not null");
        }
        return value;
    }

    public static JsonNode tree(Object value) {
        return Json.mapper().valueToTree(value);
    }

    public static String tenant(String tenant) {
        if (!Ids.isValid(tenant)) {
            throw ApiException.badRequest("'" + tenant + "' is not a valid tenant id");
        }
        return tenant;
    }

    /** A boolean query parameter: absent is false; anything but true/false is refused, not read as false. */
    public static boolean flag(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be true or false");
    }

    public static Connector connector(String connector) {
        try {
            return Connector.valueOf(connector.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown connector '" + connector + "' (LINE or WORKS)");
        }
    }

    public static AdminPrincipal principal(HttpRequest<?> request) {
        return request.getAttribute(AdminPrincipal.REQUEST_ATTRIBUTE, AdminPrincipal.class)
                .orElseThrow(() -> ApiException.unauthorized("no credential"));
    }

    /** {@code If-Match: "3"} (also {@code W/"3"} and bare {@code 3}); null when absent; refused when given twice. */
    public static Long ifMatch(List<String> headers) {
        if (headers.size() > 1) {
            throw ApiException.badRequest("If-Match is given " + headers.size() + " times; give the one version you edited");
        }
        String header = headers.isEmpty() ? null : headers.get(0);
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be a settings version such as \"3\"");
        }
    }
}
