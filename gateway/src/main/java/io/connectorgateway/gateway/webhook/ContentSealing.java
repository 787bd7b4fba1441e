package io.connectorgateway.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.kafka.DurableProducer;
import io.connectorgateway.gateway.webhook.line.LineTranslator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What makes an unsend forget the webhook's copies: message content leaves the gateway only sealed
 * under a fresh key of its own (the message's key on {@code connector.content.keys}, the same one
 * the policy stream seals the delivery and the history under), and the key record is produced and
 * acknowledged before the record that needs it (the producer sends content keys first and waits,
 * see {@link io.connectorgateway.gateway.kafka.SpoolingProducer}). An unsend tombstones the key, and
 * every copy becomes unreadable at once.
 *
 * <p>The key record is stamped one millisecond before the event: the policy task reads both topics'
 * partitions merged by timestamp, so it takes the key first.
 */
final class ContentSealing {
    /**
     * Fields of a platform event that hold what a person wrote or sent (LINE {@code message.text},
     * WORKS {@code content.text}, file names, titles, addresses): removed from a dead letter that no
     * unsend could ever name.
     */
    static final Set<String> CONTENT_FIELDS = Set.of("text", "fileName", "title", "address", "altText", "originalContentUrl",
            "previewImageUrl", "contentUrl", "resourceUrl");

    private ContentSealing() {
    }

    /** The records of one accepted event: its content key first (when it has content), then the sealed event. */
    static List<ProducerRecord<byte[], byte[]>> event(Topics topics, Topic<String, ConnectorEvent> topic, ConnectorEvent e,
                                                      long now) {
        if (!e.carriesContent() || e.sealed() != null) {
            return List.of(DurableProducer.record(topic, e.pairKey(), e, now));
        }
        ContentKey key = SealedContent.newKey(e.tenant(), e.connector(), e.eventId());
        return List.of(DurableProducer.record(topics.contentKeys, key.id(), key, now - 1),
                DurableProducer.record(topic, e.pairKey(), e.sealedUnder(key), now));
    }

    /**
     * The records of an event that could not be translated. A LINE message names its message id, so
     * an unsend can name it: the raw event is sealed under that message's key (written first), as
     * {@link SealedContent} whose text is the raw JSON, the key id in the {@value DeadLetter#HEADER_SEALED}
     * header. Anything else has no id an unsend could name: the raw event is kept with its
     * {@link #CONTENT_FIELDS} removed (their length noted), so the dead letter still says what was wrong.
     */
    static List<ProducerRecord<byte[], byte[]>> deadLetter(Topics topics, Connector connector, String tenant, String origin,
                                                           Outcome.DeadLetter d, String service, long now) {
        JsonNode raw = parse(d.rawEvent());
        String messageId = connector == Connector.LINE && raw != null ? lineMessageId(raw) : null;
        byte[] originKey = origin.getBytes(StandardCharsets.UTF_8);
        if (messageId != null && Ids.isValid(tenant)) {
            ContentKey key = SealedContent.newKey(tenant, connector, messageId);
            SealedContent sealed = SealedContent.seal(key, new SealedContent.Content(
                    new String(d.rawEvent(), StandardCharsets.UTF_8), List.of()));
            ProducerRecord<byte[], byte[]> letter = DeadLetter.of(origin, -1, -1, originKey, json(sealed), d.error(), service)
                    .toRecord(topics.dlq.name());
            letter.headers().add(DeadLetter.HEADER_SEALED, key.id().getBytes(StandardCharsets.UTF_8));
            return List.of(DurableProducer.record(topics.contentKeys, key.id(), key, now - 1), letter);
        }
        byte[] kept = raw == null ? ("(" + d.rawEvent().length + " bytes that are not JSON, removed)")
                .getBytes(StandardCharsets.UTF_8) : json(withoutContent(raw));
        return List.of(DeadLetter.of(origin, -1, -1, originKey, kept, d.error(), service).toRecord(topics.dlq.name()));
    }

    private static String lineMessageId(JsonNode event) {
        JsonNode message = event.get("message");
        JsonNode id = message == null ? null : message.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            return null;
        }
        String eventId = LineTranslator.messageEventId(id.asText());
        return Ids.isValid(eventId) ? eventId : null;
    }

    /** A copy of {@code node} with the string values of {@link #CONTENT_FIELDS} replaced by their length. */
    static JsonNode withoutContent(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (CONTENT_FIELDS.contains(f.getKey()) && f.getValue().isTextual()) {
                    f.setValue(o.textNode("(removed: " + f.getValue().asText().length() + " characters)"));
                } else {
                    strip(f.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(ContentSealing::strip);
        }
    }

    private static JsonNode parse(byte[] raw) {
        try {
            return Json.mapper().readTree(raw);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] json(Object value) {
        try {
            return Json.writer().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a dead letter", e);
        }
    }
}
