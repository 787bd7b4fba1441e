package io.connectorgateway.policy.input;

import io.connectorgateway.contracts.topic.Topics;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Wire format of the internal broadcast topic: one tag byte saying which input it is, then the
 * record exactly as its contract topic's serde writes it. Reusing the catalogue's serdes keeps
 * one JSON form per contract record (and its validation) instead of a second, nested one.
 */
public final class ControlInputSerde implements Serde<PolicyInput>, Serializer<PolicyInput>, Deserializer<PolicyInput> {
    private static final byte SETTINGS = 'S';
    private static final byte MEMBER = 'M';
    private static final byte DIRECTORY = 'D';
    private static final byte JOINED = 'J';

    private final Topics topics;

    public ControlInputSerde(Topics topics) {
        this.topics = topics;
    }

    @Override
    public byte[] serialize(String topic, PolicyInput data) {
        if (data == null) {
            return null;
        }
        if (data instanceof PolicyInput.Settings s) {
            return tagged(SETTINGS, topics.settings.valueSerde().serializer().serialize(topic, s.settings()));
        }
        if (data instanceof PolicyInput.Member m) {
            return tagged(MEMBER, topics.members.valueSerde().serializer().serialize(topic, m.member()));
        }
        if (data instanceof PolicyInput.Directory d) {
            return tagged(DIRECTORY, topics.directoryEvents.valueSerde().serializer().serialize(topic, d.event()));
        }
        if (data instanceof PolicyInput.Joined j) {
            return tagged(JOINED, topics.directoryEvents.valueSerde().serializer().serialize(topic, j.event()));
        }
        throw new SerializationException("only settings, members and directory changes travel on the control topic, not "
                + data.getClass().getSimpleName());
    }

    @Override
    public PolicyInput deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < 2) {
            throw new SerializationException("control record of " + data.length + " bytes has no payload");
        }
        byte[] payload = Arrays.copyOfRange(data, 1, data.length);
        return switch (data[0]) {
            case SETTINGS -> new PolicyInput.Settings(topics.settings.valueSerde().deserializer().deserialize(topic, payload));
            case MEMBER -> new PolicyInput.Member(topics.members.valueSerde().deserializer().deserialize(topic, payload));
            case DIRECTORY -> new PolicyInput.Directory(
                    topics.directoryEvents.valueSerde().deserializer().deserialize(topic, payload));
            case JOINED -> new PolicyInput.Joined(topics.directoryEvents.valueSerde().deserializer().deserialize(topic, payload));
            default -> throw new SerializationException("unknown control record tag " + data[0]);
        };
    }

    private static byte[] tagged(byte tag, byte[] payload) {
        byte[] out = new byte[payload.length + 1];
        out[0] = tag;
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    @Override
    public Serializer<PolicyInput> serializer() {
        return this;
    }

    @Override
    public Deserializer<PolicyInput> deserializer() {
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
