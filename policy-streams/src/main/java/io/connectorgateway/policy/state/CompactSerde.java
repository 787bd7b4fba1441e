package io.connectorgateway.policy.state;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.json.JsonSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form for the two large, internal stores ({@link SeenEvent}: one row per event
 * for the de-duplication window; {@link OpenRoom}: one row per open room). They are written and
 * read on every event and make up most of a task's state and changelog, so their size and parse
 * cost matter; they are not part of the public contract, so they need no JSON.
 *
 * <p>Format: a version byte ({@value #VERSION}), then the fields in declaration order: strings as
 * modified UTF-8 with a presence flag, enums by name, numbers as longs. A value starting with
 * {@code '{'} is the JSON these stores held before (changelogs written by an earlier release)
 * and is read as such, so an upgrade restores old state.
 */
public final class CompactSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    static final byte VERSION = 1;

    private interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final Writer<T> writer;
    private final Reader<T> reader;
    private final JsonSerde<T> legacy;

    private CompactSerde(Class<T> type, Writer<T> writer, Reader<T> reader) {
        this.writer = writer;
        this.reader = reader;
        this.legacy = JsonSerde.lenient(type);
    }

    public static CompactSerde<SeenEvent> seenEvents() {
        return new CompactSerde<>(SeenEvent.class, (out, v) -> {
            string(out, v.pairKey());
            enumName(out, v.type());
            enumName(out, v.direction());
            string(out, v.roomId());
            enumName(out, v.decision());
            out.writeLong(v.timestamp());
        }, in -> new SeenEvent(string(in), enumValue(in, EventType.class), enumValue(in, Direction.class), string(in),
                enumValue(in, AuditKind.class), in.readLong()));
    }

    public static CompactSerde<OpenRoom> openRooms() {
        return new CompactSerde<>(OpenRoom.class, (out, v) -> {
            string(out, v.roomId());
            string(out, v.tenant());
            enumName(out, v.connector());
            string(out, v.memberId());
            string(out, v.externalUserId());
            string(out, v.openedBy());
            out.writeLong(v.openedAt());
            out.writeLong(v.settingsVersion());
        }, in -> new OpenRoom(string(in), string(in), enumValue(in, Connector.class), string(in), string(in), string(in),
                in.readLong(), in.readLong()));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > 0 && data[0] == '{') {
            return legacy.deserializer().deserialize(topic, data);
        }
        if (data.length == 0 || data[0] != VERSION) {
            throw new SerializationException("unknown store value format " + (data.length == 0 ? "(empty)" : data[0]));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            return reader.read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("unreadable store value: " + e.getMessage(), e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void enumName(DataOutputStream out, Enum<?> e) throws IOException {
        string(out, e == null ? null : e.name());
    }

    private static <E extends Enum<E>> E enumValue(DataInputStream in, Class<E> type) throws IOException {
        String name = string(in);
        return name == null ? null : Enum.valueOf(type, name);
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
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }
}
