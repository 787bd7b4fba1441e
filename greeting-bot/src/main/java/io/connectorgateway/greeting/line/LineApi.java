package io.connectorgateway.greeting.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The two LINE Messaging API calls the bot makes, through Micronaut's HTTP client: push a message
 * and read a user's profile. Error statuses come back as {@link LineResponse}s (the caller decides
 * what to retry); only "no answer at all" is an exception.
 */
public final class LineApi implements AutoCloseable {
    public static final String PUSH_PATH = "/v2/bot/message/push";
    public static final String PROFILE_PATH = "/v2/bot/profile/";
    public static final String RETRY_KEY_HEADER = "X-Line-Retry-Key";
    public static final String REQUEST_ID_HEADER = "X-Line-Request-Id";

    private final HttpClient client;
    private final BlockingHttpClient blocking;

    public LineApi(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
        DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setConnectTimeout(connectTimeout);
        configuration.setReadTimeout(readTimeout);
        // Statuses are data here: a 409 is a success and a 429 carries Retry-After.
        configuration.setExceptionOnErrorStatus(false);
        configuration.setFollowRedirects(false);
        try {
            this.client = HttpClient.create(baseUrl.toURL(), configuration);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("LINE API base URL is not a URL: " + baseUrl, e);
        }
        this.blocking = client.toBlocking();
    }

    /** {@code POST /v2/bot/message/push} with the channel's token and the command's retry key. */
    public LineResponse push(String channelToken, String retryKey, PushRequest body) throws LineTransportException {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a push request as JSON", e);
        }
        MutableHttpRequest<byte[]> request = HttpRequest.POST(PUSH_PATH, json)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .bearerAuth(channelToken)
                .header(RETRY_KEY_HEADER, retryKey);
        return exchange(request);
    }

    /**
     * The user's display name from {@code GET /v2/bot/profile/{userId}}, or empty when LINE does
     * not give one (not a friend, blocked, error): a greeting never fails for want of a name.
     */
    public Optional<String> displayName(String channelToken, String userId) {
        MutableHttpRequest<?> request = HttpRequest.GET(PROFILE_PATH + URLEncoder.encode(userId, StandardCharsets.UTF_8))
                .bearerAuth(channelToken);
        try {
            LineResponse response = exchange(request);
            if (!response.accepted() || response.body() == null || response.body().isBlank()) {
                return Optional.empty();
            }
            JsonNode node = Json.mapper().readTree(response.body());
            JsonNode name = node.get("displayName");
            return name != null && name.isTextual() && !name.asText().isBlank()
                    ? Optional.of(name.asText()) : Optional.empty();
        } catch (LineTransportException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private LineResponse exchange(MutableHttpRequest<?> request) throws LineTransportException {
        HttpResponse<String> response;
        try {
            response = blocking.exchange(request, Argument.STRING, Argument.STRING);
        } catch (HttpClientResponseException e) {
            // Not expected with exceptionOnErrorStatus=false, but the client may still raise it
            // for some statuses; the answer is the same data either way.
            response = castResponse(e.getResponse());
        } catch (HttpClientException e) {
            throw new LineTransportException("no answer from LINE: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The blocking client reports an interrupt (shutdown) wrapped in a runtime exception.
            if (interrupted(e)) {
                Thread.currentThread().interrupt();
                throw new LineTransportException("interrupted while waiting for LINE", e);
            }
            throw e;
        }
        String body = response.getBody(String.class).orElse("");
        return new LineResponse(response.code(), parseRetryAfter(response.getHeaders().get("Retry-After")),
                response.getHeaders().get(REQUEST_ID_HEADER), body);
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> castResponse(HttpResponse<?> r) {
        return (HttpResponse<String>) r;
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
