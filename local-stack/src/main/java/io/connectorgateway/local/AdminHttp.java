package io.connectorgateway.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few admin API calls the demo makes, as an admin would with the CLI. */
final class AdminHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    AdminHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    JsonNode get(String token, String path) throws IOException, InterruptedException {
        return send(token, HttpRequest.newBuilder(uri(path)).GET(), path);
    }

    /** True when GET answers 2xx, false on 404 (anything else is an error). */
    boolean exists(String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).GET().header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return false;
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("admin API " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return true;
    }

    JsonNode call(String token, String method, String path, Object body) throws IOException, InterruptedException {
        byte[] json = Json.mapper().writeValueAsBytes(body);
        return send(token, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json)), path);
    }

    private URI uri(String path) {
        return URI.create(baseUrl + "/admin/v1" + path);
    }

    private JsonNode send(String token, HttpRequest.Builder b, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("admin API " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
    }
}
