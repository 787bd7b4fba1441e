package io.connectorgateway.gateway.channel;

import io.connectorgateway.gateway.webhook.Secrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** LINE Messaging API webhook bodies, shaped as LINE sends them, and a client that signs them. */
final class LineBodies {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LineBodies() {
    }

    static String newUser() {
        return "U" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A {@code follow} event of {@code user} on the channel whose bot is {@code destination}. */
    static String follow(String destination, String user) {
        String id = "01" + UUID.randomUUID().toString().replace("-", "").substring(0, 24).toUpperCase();
        return "{\"destination\":\"" + destination + "\",\"events\":[{\"type\":\"follow\",\"mode\":\"active\",\"timestamp\":"
                + System.currentTimeMillis() + ",\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},\"webhookEventId\":\""
                + id + "\",\"deliveryContext\":{\"isRedelivery\":false},\"replyToken\":\"rt" + id
                + "\",\"follow\":{\"isUnblocked\":false}}]}";
    }

    /** POSTs {@code body} to {@code url} with {@code x-line-signature} made with {@code secret}. */
    static HttpResponse<String> post(String url, String body, String secret) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("x-line-signature", Secrets.signature(secret, body.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
