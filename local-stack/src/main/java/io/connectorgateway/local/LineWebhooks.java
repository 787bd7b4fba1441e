package io.connectorgateway.local;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds and signs webhook bodies the way LINE and LINE WORKS do, for the demo, its examples and the fault suite. */
public final class LineWebhooks {
    private LineWebhooks() {
    }

    /** Base64(HMAC-SHA256(secret, body)): LINE's {@code x-line-signature} and WORKS' {@code X-WORKS-Signature}. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String follow(String destination, String userId, String eventId, long ts) {
        return "{\"destination\":\"" + destination + "\",\"events\":[{\"type\":\"follow\",\"mode\":\"active\",\"timestamp\":" + ts
                + ",\"source\":{\"type\":\"user\",\"userId\":\"" + userId + "\"},\"webhookEventId\":\"" + eventId
                + "\",\"deliveryContext\":{\"isRedelivery\":false},\"replyToken\":\"r" + eventId
                + "\",\"follow\":{\"isUnblocked\":false}}]}";
    }

    public static String text(String destination, String userId, String eventId, String messageId, String text, long ts) {
        return message(destination, userId, eventId, ts, "{\"id\":\"" + messageId + "\",\"type\":\"text\",\"text\":\""
                + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    static String image(String destination, String userId, String eventId, String messageId, long ts) {
        return message(destination, userId, eventId, ts, "{\"id\":\"" + messageId
                + "\",\"type\":\"image\",\"contentProvider\":{\"type\":\"line\"}}");
    }

    static String sticker(String destination, String userId, String eventId, String messageId, long ts) {
        return message(destination, userId, eventId, ts, "{\"id\":\"" + messageId
                + "\",\"type\":\"sticker\",\"packageId\":\"446\",\"stickerId\":\"1988\",\"stickerResourceType\":\"STATIC\"}");
    }

    private static String message(String destination, String userId, String eventId, long ts, String message) {
        return "{\"destination\":\"" + destination + "\",\"events\":[{\"type\":\"message\",\"mode\":\"active\",\"timestamp\":" + ts
                + ",\"source\":{\"type\":\"user\",\"userId\":\"" + userId + "\"},\"webhookEventId\":\"" + eventId
                + "\",\"deliveryContext\":{\"isRedelivery\":false},\"replyToken\":\"r" + eventId + "\",\"message\":" + message + "}]}";
    }
}
