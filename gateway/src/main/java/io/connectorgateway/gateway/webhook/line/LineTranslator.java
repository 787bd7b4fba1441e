package io.connectorgateway.gateway.webhook.line;

import static io.connectorgateway.gateway.webhook.JsonFields.digestId;
import static io.connectorgateway.gateway.webhook.JsonFields.flag;
import static io.connectorgateway.gateway.webhook.JsonFields.longValue;
import static io.connectorgateway.gateway.webhook.JsonFields.object;
import static io.connectorgateway.gateway.webhook.JsonFields.optionalLong;
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
import io.connectorgateway.gateway.webhook.LineChannel;
import io.connectorgateway.gateway.webhook.Outcome;
import io.connectorgateway.gateway.webhook.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * LINE Messaging API webhook body ({@code {destination, events[]}}) to canonical events.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><th>LINE</th><th>canonical</th><th>eventId</th></tr>
 *   <tr><td>follow (also unblock)</td><td>FRIEND_ADD, urlToken = the channel's token, channelId = the registered channel followed</td><td>webhookEventId</td></tr>
 *   <tr><td>unfollow</td><td>UNFOLLOW</td><td>webhookEventId</td></tr>
 *   <tr><td>message text/sticker/image/video/audio/file/location</td><td>MESSAGE INBOUND</td><td>{@code lm-<message.id>}</td></tr>
 *   <tr><td>unsend</td><td>UNSEND, targetEventId {@code lm-<unsend.messageId>}</td><td>webhookEventId</td></tr>
 *   <tr><td>anything else, group/room sources, other message types</td><td>ignored (acknowledged, counted)</td><td>-</td></tr>
 * </table>
 *
 * <p>Message events are named after the LINE message id so that an unsend, which only carries the
 * message id, can name the event it takes back; a redelivery carries the same ids, so the stream's
 * de-duplication by eventId absorbs it. An event without {@code webhookEventId} (very old
 * payloads) gets an id derived from its content.
 */
public final class LineTranslator {
    static final String SOURCE = "line-webhook";
    private static final Set<String> KNOWN_TYPES = Set.of("message", "follow", "unfollow", "unsend", "join", "leave",
            "memberJoined", "memberLeft", "postback", "videoPlayComplete", "beacon", "accountLink", "things",
            "membership", "module", "activated", "deactivated", "botSuspended", "botResumed");

    private LineTranslator() {
    }

    /** @throws Refusal when the envelope is not a LINE webhook for this channel */
    public static List<Outcome> translate(LineChannel channel, JsonNode root) {
        JsonNode destination = root.get("destination");
        if (destination == null || !destination.isTextual()) {
            throw new Refusal(Refusal.Reason.MALFORMED_PAYLOAD, "destination is required (a string)");
        }
        if (!destination.asText().equals(channel.destination())) {
            throw new Refusal(Refusal.Reason.DESTINATION_MISMATCH, "destination does not belong to the channel of this webhook URL");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw new Refusal(Refusal.Reason.MALFORMED_PAYLOAD, "events is required (an array; empty for a connectivity check)");
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            String kind = kind(event);
            try {
                if (!event.isObject()) {
                    throw new IllegalArgumentException("an event must be a JSON object");
                }
                outcomes.add(event(channel, event, kind));
            } catch (IllegalArgumentException e) {
                outcomes.add(new Outcome.DeadLetter(kind, JsonFields.bytes(event), e));
            }
        }
        return outcomes;
    }

    private static String kind(JsonNode event) {
        JsonNode t = event.get("type");
        return t != null && t.isTextual() && KNOWN_TYPES.contains(t.asText()) ? t.asText() : "other";
    }

    private static Outcome event(LineChannel channel, JsonNode event, String kind) {
        String type = text(event, "type");
        JsonNode source = object(event, "source");
        String sourceType = text(source, "type");
        if (!"user".equals(sourceType)) {
            // A group or multi-person chat is not a member-to-user conversation the product knows.
            return new Outcome.Ignore(kind, "non-user-source");
        }
        ConnectorEvent.Builder b = ConnectorEvent.builder()
                .tenant(channel.tenant())
                .connector(Connector.LINE)
                .direction(Direction.INBOUND)
                .memberId(channel.memberId())
                .externalUserId(text(source, "userId"))
                .timestamp(longValue(event, "timestamp"))
                .redelivery(event.has("deliveryContext") && flag(event.get("deliveryContext"), "isRedelivery"))
                .source(SOURCE);
        switch (type) {
            case "follow" -> b.type(EventType.FRIEND_ADD).eventId(webhookEventId(channel, event)).urlToken(channel.urlToken())
                    .channelId(channel.registeredChannelId());
            case "unfollow" -> b.type(EventType.UNFOLLOW).eventId(webhookEventId(channel, event));
            case "unsend" -> b.type(EventType.UNSEND).eventId(webhookEventId(channel, event))
                    .targetEventId(messageEventId(text(object(event, "unsend"), "messageId")));
            case "message" -> {
                JsonNode message = object(event, "message");
                b.type(EventType.MESSAGE).eventId(messageEventId(scalar(message, "id")));
                if (!message(b, message)) {
                    return new Outcome.Ignore(kind, "unsupported-message-type");
                }
            }
            default -> {
                return new Outcome.Ignore(kind, "no-product-meaning");
            }
        }
        return new Outcome.Produce(b.build());
    }

    /** Fills text and attachments; false for a message type the product does not carry. */
    private static boolean message(ConnectorEvent.Builder b, JsonNode message) {
        String id = scalar(message, "id");
        switch (text(message, "type")) {
            case "text" -> b.text(text(message, "text"));
            case "image" -> b.attachments(new Attachment(AttachmentKind.IMAGE, null, null, id));
            case "video" -> b.attachments(new Attachment(AttachmentKind.VIDEO, null, null, id));
            case "audio" -> b.attachments(new Attachment(AttachmentKind.AUDIO, null, null, id));
            case "file" -> b.attachments(new Attachment(AttachmentKind.FILE, optionalText(message, "fileName"),
                    optionalLong(message, "fileSize"), id));
            case "sticker" -> b.attachments(new Attachment(AttachmentKind.STICKER, null, null,
                    scalar(message, "packageId") + "/" + scalar(message, "stickerId")));
            case "location" -> {
                String title = optionalText(message, "title");
                b.attachments(new Attachment(AttachmentKind.LOCATION, title != null ? title : optionalText(message, "address"),
                        null, "geo:" + optionalScalar(message, "latitude") + "," + optionalScalar(message, "longitude")));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The canonical id of the message event for a LINE message id; an unsend names its target by it. */
    public static String messageEventId(String lineMessageId) {
        return "lm-" + lineMessageId;
    }

    private static String webhookEventId(LineChannel channel, JsonNode event) {
        String id = optionalText(event, "webhookEventId");
        return id != null ? id : digestId("lh-", channel.destination(), new String(JsonFields.bytes(JsonFields.canonical(event)),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String scalar(JsonNode node, String field) {
        String v = optionalScalar(node, field);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v;
    }
}
