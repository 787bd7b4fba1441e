package io.connectorgateway.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** The CLI's HTTP side: one call to the admin API, answer as JSON. */
final class AdminClient {
    /** An answer; {@code status} 0 means the server could not be reached. */
    record Answer(int status, JsonNode body, String transportError) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    AdminClient(String url, String token) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    Answer call(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
        try {
            String json = body == null ? null : Json.mapper().writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = null;
            if (r.body() != null && !r.body().isBlank()) {
                try {
                    node = Json.mapper().readTree(r.body());
                } catch (IOException e) {
                    node = Json.mapper().createObjectNode().put("message", r.body());
                }
            }
            return new Answer(r.statusCode(), node, null);
        } catch (IOException e) {
            return new Answer(0, null, "cannot reach " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
    }

    Answer call(String method, String path, Object body) {
        return call(method, path, body, Map.of(), Duration.ofSeconds(60));
    }

    static String query(Map<String, Object> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                j.add(k + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
