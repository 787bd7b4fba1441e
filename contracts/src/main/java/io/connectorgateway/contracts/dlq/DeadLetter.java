package io.connectorgateway.contracts.dlq;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A poison record on {@code connector.dlq}: the original key and value bytes, untouched, and the
 * reason in headers.
 *
 * <p>The header names are Kafka Streams' own dead-letter-queue headers (KIP-1034), so records
 * written by the Streams DLQ handler and by the other services look the same to whoever reads
 * the topic; two headers are ours: {@value #HEADER_SERVICE} and {@value #HEADER_SCHEMA_VERSION}.
 *
 * @param schemaVersion  envelope schema version
 * @param sourceTopic    where the record came from (or the endpoint, for HTTP input)
 * @param partition      source partition, -1 when not from Kafka
 * @param offset         source offset, -1 when not from Kafka
 * @param key            original key bytes
 * @param value          original value bytes
 * @param exceptionClass class of the failure
 * @param reason         what was wrong, for a person
 * @param service        which service dead-lettered it
 */
public record DeadLetter(
        int schemaVersion,
        String sourceTopic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        String exceptionClass,
        String reason,
        String service) {

    public static final int SCHEMA_VERSION = 1;
    public static final String HEADER_EXCEPTION = "__streams.errors.exception";
    public static final String HEADER_STACKTRACE = "__streams.errors.stacktrace";
    public static final String HEADER_MESSAGE = "__streams.errors.message";
    public static final String HEADER_TOPIC = "__streams.errors.topic";
    public static final String HEADER_PARTITION = "__streams.errors.partition";
    public static final String HEADER_OFFSET = "__streams.errors.offset";
    public static final String HEADER_SERVICE = "dlq.service";
    public static final String HEADER_SCHEMA_VERSION = "dlq.schema.version";
    /**
     * Set when the value is not the original bytes but a {@code SealedContent} (JSON) whose text is
     * the original bytes as UTF-8, sealed under the content key this header names
     * ({@code tenant:connector:eventId} on {@code connector.content.keys}): a rejected message that an
     * unsend can still take back.
     */
    public static final String HEADER_SEALED = "dlq.sealed";

    public DeadLetter {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a dead letter needs a reason");
        }
    }

    public static DeadLetter of(String sourceTopic, int partition, long offset, byte[] key, byte[] value,
                                Throwable error, String service) {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new DeadLetter(SCHEMA_VERSION, sourceTopic, partition, offset, key, value, error.getClass().getName(),
                reason, service);
    }

    /** The record to produce on the dead-letter topic; keeps the original key. */
    public ProducerRecord<byte[], byte[]> toRecord(String dlqTopic) {
        Headers headers = new RecordHeaders();
        put(headers, HEADER_EXCEPTION, exceptionClass == null ? "unknown" : exceptionClass);
        put(headers, HEADER_MESSAGE, reason);
        put(headers, HEADER_TOPIC, sourceTopic == null ? "" : sourceTopic);
        put(headers, HEADER_PARTITION, Integer.toString(partition));
        put(headers, HEADER_OFFSET, Long.toString(offset));
        put(headers, HEADER_SERVICE, service == null ? "unknown" : service);
        put(headers, HEADER_SCHEMA_VERSION, Integer.toString(schemaVersion));
        return new ProducerRecord<>(dlqTopic, null, null, key, value, headers);
    }

    /** Reads a dead letter back, whichever service (or the Streams DLQ handler) wrote it. */
    public static DeadLetter fromRecord(ConsumerRecord<byte[], byte[]> record) {
        Headers h = record.headers();
        String version = get(h, HEADER_SCHEMA_VERSION);
        String partition = get(h, HEADER_PARTITION);
        String offset = get(h, HEADER_OFFSET);
        String reason = get(h, HEADER_MESSAGE);
        return new DeadLetter(
                version == null ? SCHEMA_VERSION : Integer.parseInt(version),
                get(h, HEADER_TOPIC),
                partition == null ? -1 : Integer.parseInt(partition),
                offset == null ? -1 : Long.parseLong(offset),
                record.key(),
                record.value(),
                get(h, HEADER_EXCEPTION),
                reason == null || reason.isBlank() ? "(no reason recorded)" : reason,
                get(h, HEADER_SERVICE));
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
