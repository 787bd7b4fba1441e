package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.json.Json;
import io.micronaut.http.HttpRequest;
import java.io.IOException;

/**
 * Request parsing shared by the admin controllers, with the project's hardened mapper: strict
 * (an unknown, probably misspelt field is refused rather than silently ignored), size- and
 * depth-limited. Path values are checked with the contracts' id rules.
 */
public final class RequestJson {
    private RequestJson() {
    }

    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            return Json.strictReader(type).readValue(body);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw ApiException.badRequest("malformed JSON body: " + message);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
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

    /** {@code If-Match: "3"} (also {@code W/"3"} and bare {@code 3}); null when absent. */
    public static Long ifMatch(String header) {
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
