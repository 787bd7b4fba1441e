package io.connectorgateway.policy.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The control topics' wire format and partitioning. */
class ControlWireTest {
    private final ControlInputSerde serde = new ControlInputSerde(new Topics("", 4, (short) 1));
    private static final Change CHANGE = new Change(new Actor("a", Actor.Role.TENANT_ADMIN), "why", 1L);

    @Test
    void everyControlInputSurvivesTheRoundTrip() {
        DirectoryEvent d = DirectoryEvent.of("d-1", "acme", "m1", DirectoryEvent.Type.JOINED, 5L);
        for (PolicyInput in : new PolicyInput[] {
                new PolicyInput.Settings(TenantSettings.absent("acme", Connector.LINE).withVersion(3, CHANGE)),
                new PolicyInput.Member(new ConnectedMember(1, "acme", Connector.WORKS, "m1", true, "t", 2, null, CHANGE)),
                new PolicyInput.Directory(d),
                new PolicyInput.Joined(d)}) {
            assertEquals(in, serde.deserialize("t", serde.serialize("t", in)));
        }
    }

    @Test
    void garbageIsASerializationExceptionNotACrash() {
        assertThrows(SerializationException.class, () -> serde.deserialize("t", "X{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerializationException.class, () -> serde.deserialize("t", "S{".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void changesGoToEveryPartitionAndAJoinToExactlyOne() {
        BroadcastPartitioner p = new BroadcastPartitioner();
        DirectoryEvent d = DirectoryEvent.of("d-1", "acme", "m1", DirectoryEvent.Type.JOINED, 5L);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), p.partitions("t", d.key(), new PolicyInput.Directory(d), 8).orElseThrow());
        Set<Integer> one = p.partitions("t", d.key(), new PolicyInput.Joined(d), 8).orElseThrow();
        assertEquals(1, one.size());
        assertEquals(one, p.partitions("t", d.key(), new PolicyInput.Joined(d), 8).orElseThrow(), "stable");
    }
}
