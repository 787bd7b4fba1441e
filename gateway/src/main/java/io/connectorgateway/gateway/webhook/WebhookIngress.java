package io.connectorgateway.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventFreshness;
import io.connectorgateway.gateway.input.UntrustedJson;
import io.connectorgateway.gateway.kafka.DurableProducer;
import io.connectorgateway.gateway.kafka.KafkaUnavailableException;
import io.connectorgateway.gateway.limits.RateLimits;
import io.connectorgateway.gateway.kafka.SpoolingProducer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path every webhook request takes, in this order, whichever platform sent it:
 * <ol>
 *   <li>size (413) — before anything is hashed or parsed;</li>
 *   <li>content type (415);</li>
 *   <li>who signs it (401 for an unknown channel or bot) and the signature over the raw bytes,
 *       in constant time (401) — before any parsing;</li>
 *   <li>the channel's or bot's rate limit (429 with {@code Retry-After});</li>
 *   <li>strict UTF-8 (400), then JSON with the contracts' hardened limits (400 with the reason:
 *       malformed, too deep, duplicate keys, ...);</li>
 *   <li>translation into canonical events by the platform's translator;</li>
 *   <li>freshness: an event older than the window (by its own timestamp, against this gateway's
 *       clock) is refused as stale: audited on {@code connector.audit.intake} instead of produced,
 *       while the rest of the request goes through;</li>
 *   <li>all records produced and acknowledged by Kafka ({@code acks=all}); for WORKS, which never
 *       redelivers, spooled on disk instead when Kafka does not take them in time
 *       ({@link SpoolingProducer}); else 503.</li>
 * </ol>
 * Only a request that passes every step is answered 2xx; a refused request produces nothing.
 */
@Singleton
public class WebhookIngress {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIngress.class);
    /** The body limit, the contracts' JSON document limit: 1 MiB. */
    public static final int MAX_BODY_BYTES = Json.MAX_DOCUMENT_BYTES;
    static final String SERVICE = "gateway";

    private final SpoolingProducer producer;
    private final Topics topics;
    private final WebhookMetrics metrics;
    private final EventFreshness freshness;
    private final RateLimits limits;

    public WebhookIngress(SpoolingProducer producer, Topics topics, WebhookMetrics metrics, WebhookFreshness freshness,
                          RateLimits limits) {
        this.producer = producer;
        this.topics = topics;
        this.metrics = metrics;
        this.freshness = freshness.rule();
        this.limits = limits;
    }

    /**
     * What an accepted request became; {@code stale} events were refused and audited, not produced;
     * {@code spooled}: on the gateway's disk, on its way to Kafka.
     */
    public record Received(int produced, int ignored, int deadLettered, int stale, boolean spooled) {
    }

    /**
     * @param connector   which platform
     * @param contentType every Content-Type header of the request (more than one is refused)
     * @param body        the raw body, as received
     * @param signature   every signature header of the request (more than one is refused)
     * @param sender      finds whoever the request claims to come from; throws a {@link Refusal}
     *                    when that is unknown
     * @param translator  turns the sender and the parsed body into outcomes; may throw a {@link Refusal}
     * @param origin      where the request came in, for dead letters (e.g. {@code webhook:line/<name>})
     * @throws Refusal when the request is refused as a whole (nothing was produced)
     */
    public <S extends Sender> Received handle(Connector connector, List<String> contentType, byte[] body, List<String> signature,
                                              Supplier<S> sender, BiFunction<S, JsonNode, List<Outcome>> translator,
                                              String origin) {
        try {
            byte[] raw = body == null ? new byte[0] : body;
            if (raw.length > MAX_BODY_BYTES) {
                throw new Refusal(Refusal.Reason.OVERSIZED, "body is " + raw.length + " bytes, the limit is " + MAX_BODY_BYTES);
            }
            if (contentType.size() > 1) {
                throw new Refusal(Refusal.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type is given " + contentType.size()
                        + " times; exactly one application/json is required");
            }
            requireJson(contentType.isEmpty() ? null : contentType.get(0));
            S claimed = sender.get();
            if (signature.size() > 1) {
                // which one would count is up to each proxy on the way: refuse rather than guess
                throw new Refusal(Refusal.Reason.DUPLICATE_HEADER, "the signature header is given " + signature.size() + " times");
            }
            if (signature.isEmpty() || signature.get(0).isBlank()) {
                throw new Refusal(Refusal.Reason.MISSING_SIGNATURE, "the signature header is missing");
            }
            if (!claimed.secrets().verify(signature.get(0), raw)) {
                throw new Refusal(Refusal.Reason.BAD_SIGNATURE, "the signature does not match the body");
            }
            limit(connector, claimed);
            JsonNode root = parse(raw);
            List<Outcome> outcomes = translator.apply(claimed, root);
            Received received = publish(connector, tenantOf(claimed), outcomes, origin);
            metrics.accepted(connector);
            return received;
        } catch (Refusal r) {
            metrics.refused(connector, r.reason());
            if (r.reason() == Refusal.Reason.KAFKA_UNAVAILABLE) {
                LOG.warn("{} webhook answered 503: {}", connector, r.getMessage());
            } else {
                LOG.info("{} webhook refused ({}): {}", connector, r.reason().tag(), r.getMessage());
            }
            throw r;
        }
    }

    /**
     * The channel's or bot's rate limit, counted only for correctly signed requests: whoever does not
     * hold the secret cannot use up the budget of the real sender.
     */
    private void limit(Connector connector, Sender claimed) {
        String name;
        if (claimed instanceof LineChannel c) {
            name = c.name();
        } else if (claimed instanceof WorksBot b) {
            name = b.botId();
        } else {
            throw new IllegalStateException("unknown sender " + claimed.getClass().getSimpleName());
        }
        long wait = limits.webhook(connector, tenantOf(claimed), name);
        if (wait > 0) {
            throw new Refusal(Refusal.Reason.RATE_LIMITED, connector + " sender " + name + " sent more requests than its "
                    + "rate limit allows; retry in " + wait + " s", wait);
        }
    }

    private static String tenantOf(Sender claimed) {
        if (claimed instanceof LineChannel c) {
            return c.tenant();
        } else if (claimed instanceof WorksBot b) {
            return b.tenant();
        }
        throw new IllegalStateException("unknown sender " + claimed.getClass().getSimpleName());
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new Refusal(Refusal.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type is missing; application/json is required");
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";", -1);
        if (!parts[0].trim().equals("application/json")) {
            throw new Refusal(Refusal.Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + abbreviate(contentType)
                    + " is not supported; application/json is required");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("charset=") && !p.substring(8).replace("\"", "").trim().equals("utf-8")) {
                throw new Refusal(Refusal.Reason.UNSUPPORTED_MEDIA_TYPE, "only UTF-8 JSON is accepted, got " + abbreviate(p));
            }
        }
    }

    private static JsonNode parse(byte[] raw) {
        String utf8 = UntrustedJson.utf8Problem(raw);
        if (utf8 != null) {
            throw new Refusal(Refusal.Reason.MALFORMED_JSON, utf8);
        }
        try {
            JsonNode root = Json.mapper().readTree(raw);
            if (root == null || root.isMissingNode()) {
                throw new Refusal(Refusal.Reason.MALFORMED_JSON, "the body is empty");
            }
            if (!root.isObject()) {
                throw new Refusal(Refusal.Reason.MALFORMED_PAYLOAD, "the body must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new Refusal(Refusal.Reason.MALFORMED_JSON, "malformed JSON: " + abbreviate(UntrustedJson.describe(e)));
        } catch (IOException e) {
            throw new Refusal(Refusal.Reason.MALFORMED_JSON, "unreadable JSON");
        }
    }

    private Received publish(Connector connector, String tenant, List<Outcome> outcomes, String origin) {
        Topic<String, ConnectorEvent> topic = connector == Connector.LINE ? topics.lineEvents : topics.worksEvents;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int produced = 0;
        int ignored = 0;
        int dead = 0;
        // One clock reading for the whole request: the freshness check and the record timestamps use
        // it, so the policy stream, which checks again against the record timestamp, sees the same age.
        long now = System.currentTimeMillis();
        Map<Outcome, EventFreshness.Stale> stale = new IdentityHashMap<>();
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Produce p) {
                Optional<EventFreshness.Stale> refused = freshness.check(p.event().timestamp(), now);
                if (refused.isPresent()) {
                    stale.put(o, refused.get());
                    records.add(DurableProducer.record(topics.auditIntake, p.event().tenant(),
                            StaleAudit.of(p.event(), refused.get(), now, origin), now));
                    continue;
                }
                // content sealed under a fresh key of the message's own, the key produced first
                records.addAll(ContentSealing.event(topics, topic, p.event(), now));
                produced++;
            } else if (o instanceof Outcome.DeadLetter d) {
                records.addAll(ContentSealing.deadLetter(topics, connector, tenant, origin, d, SERVICE, now));
                dead++;
            } else {
                ignored++;
            }
        }
        boolean spooled;
        try {
            spooled = producer.send(connector, records) == SpoolingProducer.Result.SPOOLED;
        } catch (KafkaUnavailableException e) {
            throw new Refusal(Refusal.Reason.KAFKA_UNAVAILABLE, e.getMessage());
        }
        for (Outcome o : outcomes) {
            EventFreshness.Stale refused = stale.get(o);
            if (refused != null) {
                Outcome.Produce p = (Outcome.Produce) o;
                metrics.event(connector, "stale", p.event().type().name().toLowerCase(Locale.ROOT), refused.why().tag());
                LOG.warn("{} event {} of tenant {} refused as stale from {}: {}", connector, p.event().eventId(),
                        p.event().tenant(), origin, refused.message());
            } else if (o instanceof Outcome.Produce p) {
                metrics.event(connector, "produced", p.event().type().name().toLowerCase(Locale.ROOT), "none");
            } else if (o instanceof Outcome.DeadLetter d) {
                metrics.event(connector, "dead-lettered", d.kind(), "unmappable");
                LOG.warn("{} event dead-lettered from {}: {}", connector, origin, d.error().getMessage());
            } else if (o instanceof Outcome.Ignore i) {
                metrics.event(connector, "ignored", i.kind(), i.reason());
            }
        }
        return new Received(produced, ignored, dead, stale.size(), spooled);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
