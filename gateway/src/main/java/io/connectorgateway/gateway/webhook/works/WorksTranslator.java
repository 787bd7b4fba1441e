package io.connectorgateway.gateway.webhook.works;

import static io.connectorgateway.gateway.webhook.JsonFields.object;
import static io.connectorgateway.gateway.webhook.JsonFields.optionalScalar;
import static io.connectorgateway.gateway.webhook.JsonFields.optionalText;
import static io.connectorgateway.gateway.webhook.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.gateway.webhook.JsonFields;
import io.connectorgateway.gateway.webhook.Outcome;
import io.connectorgateway.gateway.webhook.WorksBot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * LINE WORKS bot callback ({@code {type, source{userId, channelId, domainId}, issuedTime, content}})
 * to canonical events. One callback is one event.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><th>WORKS callback</th><th>canonical</th></tr>
 *   <tr><td>message in the 1:1 room (no channelId): text, image, video, audio, file, sticker, location</td>
 *       <td>MESSAGE INBOUND from the external user to the bot's member</td></tr>
 *   <tr><td>message in a multi-person room (channelId present)</td><td>ignored: not a member-to-user conversation</td></tr>
 *   <tr><td>join, leave, joined, left</td><td>ignored: room membership of the bot; a WORKS room starts with the
 *       member's contact-add, which the platform reports (OUTBOUND CONTACT_ADD), not a bot callback</td></tr>
 *   <tr><td>postback</td><td>ignored: a button press on a bot template, not a message between people</td></tr>
 *   <tr><td>other types, other content types</td><td>ignored</td></tr>
 * </table>
 *
 * <p>WORKS callbacks carry no event id and are never resent, but a caller (a relay, an operator
 * replaying a callback) may send one twice. The event id is therefore derived from what
 * identifies the callback: {@code wk-} + SHA-256 of bot id, type, source.userId, source.channelId,
 * issuedTime (milliseconds) and the content with its fields in name order. The same callback
 * always gets the same id; the stream de-duplicates by it.
 */
public final class WorksTranslator {
    static final String SOURCE = "works-callback";
    private static final Set<String> KNOWN_TYPES = Set.of("message", "join", "leave", "joined", "left", "postback");

    private WorksTranslator() {
    }

    public static List<Outcome> translate(WorksBot bot, JsonNode root) {
        String kind = kind(root);
        try {
            return List.of(callback(bot, root, kind));
        } catch (IllegalArgumentException e) {
            return List.of(new Outcome.DeadLetter(kind, JsonFields.bytes(root), e));
        }
    }

    private static String kind(JsonNode root) {
        JsonNode t = root.get("type");
        return t != null && t.isTextual() && KNOWN_TYPES.contains(t.asText()) ? t.asText() : "other";
    }

    private static Outcome callback(WorksBot bot, JsonNode root, String kind) {
        String type = text(root, "type");
        if (!type.equals("message")) {
            return new Outcome.Ignore(kind, "no-product-meaning");
        }
        JsonNode source = object(root, "source");
        String userId = text(source, "userId");
        String channelId = optionalScalar(source, "channelId");
        if (channelId != null) {
            return new Outcome.Ignore(kind, "multi-person-room");
        }
        String issuedTime = text(root, "issuedTime");
        long timestamp;
        try {
            timestamp = Instant.parse(issuedTime).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("issuedTime must be an ISO-8601 instant, got '" + issuedTime + "'", e);
        }
        JsonNode content = object(root, "content");
        ConnectorEvent.Builder b = ConnectorEvent.builder()
                .eventId(eventId(bot, type, userId, channelId, timestamp, content))
                .tenant(bot.tenant())
                .connector(Connector.WORKS)
                .direction(Direction.INBOUND)
                .type(EventType.MESSAGE)
                .memberId(bot.memberId())
                .externalUserId(userId)
                .timestamp(timestamp)
                .source(SOURCE);
        String fileId = optionalScalar(content, "fileId");
        switch (text(content, "type")) {
            case "text" -> b.text(text(content, "text"));
            case "image" -> b.attachments(new Attachment(AttachmentKind.IMAGE, null, null, fileId));
            case "video" -> b.attachments(new Attachment(AttachmentKind.VIDEO, null, null, fileId));
            case "audio" -> b.attachments(new Attachment(AttachmentKind.AUDIO, null, null, fileId));
            case "file" -> b.attachments(new Attachment(AttachmentKind.FILE, optionalText(content, "fileName"), null, fileId));
            case "sticker" -> b.attachments(new Attachment(AttachmentKind.STICKER, null, null,
                    optionalScalar(content, "packageId") + "/" + optionalScalar(content, "stickerId")));
            case "location" -> b.attachments(new Attachment(AttachmentKind.LOCATION, optionalText(content, "address"), null,
                    "geo:" + optionalScalar(content, "latitude") + "," + optionalScalar(content, "longitude")));
            default -> {
                return new Outcome.Ignore(kind, "unsupported-content-type");
            }
        }
        return new Outcome.Produce(b.build());
    }

    /** The derived, stable id of a callback (see the class comment). */
    static String eventId(WorksBot bot, String type, String userId, String channelId, long timestamp, JsonNode content) {
        return JsonFields.digestId("wk-", bot.botId(), type, userId, channelId, Long.toString(timestamp),
                new String(JsonFields.bytes(JsonFields.canonical(content)), StandardCharsets.UTF_8));
    }
}
