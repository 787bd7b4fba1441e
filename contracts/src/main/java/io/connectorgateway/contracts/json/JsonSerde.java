package io.connectorgateway.contracts.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one record type on the shared {@link Json} mapper.
 *
 * <p>Failures become a {@link SerializationException} whose message says what was wrong in words
 * a person can act on (the record type, then the problem), so that Kafka Streams' dead-letter
 * queue and the services' error answers carry a useful reason. A {@code null} payload is a
 * tombstone and reads as {@code null}.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonSerde(Class<T> type, ObjectReader reader) {
        this.type = type;
        this.reader = reader;
        this.writer = Json.writer().forType(type);
    }

    /** Unknown fields are refused. For settings and connected members. */
    public static <T> JsonSerde<T> strict(Class<T> type) {
        return new JsonSerde<>(type, Json.strictReader(type));
    }

    /** Unknown fields are ignored. For events, commands and audit records. */
    public static <T> JsonSerde<T> lenient(Class<T> type) {
        return new JsonSerde<>(type, Json.lenientReader(type));
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return read(data);
    }

    /** Reads one value, throwing {@link SerializationException} with a clear reason on bad input. */
    public T read(byte[] data) {
        if (data.length > Json.MAX_DOCUMENT_BYTES) {
            throw new SerializationException("invalid " + type.getSimpleName() + ": document is " + data.length
                    + " bytes, the limit is " + Json.MAX_DOCUMENT_BYTES);
        }
        try {
            T value = reader.readValue(data);
            if (value == null) {
                throw new SerializationException("invalid " + type.getSimpleName() + ": JSON null is not a record");
            }
            return value;
        } catch (IOException e) {
            throw new SerializationException("invalid " + type.getSimpleName() + ": " + reason(e), e);
        }
    }

    /** The innermost message a person can act on: validation messages from the compact constructors first. */
    static String reason(IOException e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null && vie.getCause().getMessage() != null) {
            return vie.getCause().getMessage();
        }
        if (e instanceof JsonProcessingException jpe) {
            String msg = jpe.getOriginalMessage();
            var loc = jpe.getLocation();
            String path = jpe instanceof com.fasterxml.jackson.databind.JsonMappingException jme ? jme.getPathReference() : null;
            StringBuilder sb = new StringBuilder(msg == null ? e.getClass().getSimpleName() : msg);
            if (path != null && !path.isEmpty()) {
                sb.append(" (at ").append(path.replace("io.connectorgateway.contracts.", "")).append(')');
            } else if (loc != null && loc.getLineNr() > 0) {
                sb.append(" (line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr()).append(')');
            }
            return sb.toString();
        }
        return e.getMessage();
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // configured at construction
    }

    @Override
    public void close() {
        // stateless
    }
}
