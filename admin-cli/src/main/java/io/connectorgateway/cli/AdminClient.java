package io.connectorgateway.cli;

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
    record Answer(int status, JsonNode body, String transportError, long retryAfter) {
        Answer(int status, JsonNode body, String transportError) {
            this(status, body, transportError, 0);
        }

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

    /** How often a call refused by the rate limit (429) is sent again, after its {@code Retry-After}. */
    static final int RATE_LIMIT_RETRIES = 5;

    /**
     * One call; a 429 (the tenant's rate limit: the call was not carried out) is sent again after its
     * {@code Retry-After} (at most 30 s), up to {@value #RATE_LIMIT_RETRIES} times.
     */
    Answer call(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
        Answer answer = once(method, path, body, headers, timeout);
        for (int i = 0; i < RATE_LIMIT_RETRIES && answer.status() == 429; i++) {
            try {
                Thread.sleep(Math.min(30, Math.max(1, answer.retryAfter())) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = once(method, path, body, headers, timeout);
        }
        return answer;
    }

    private Answer once(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
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
            long retryAfter = r.headers().firstValue("Retry-After").map(v -> {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return 1L;
                }
            }).orElse(0L);
            return new Answer(r.statusCode(), node, null, retryAfter);
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
