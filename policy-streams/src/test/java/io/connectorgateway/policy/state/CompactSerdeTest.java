package io.connectorgateway.policy.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.json.JsonSerde;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The binary form of the two large internal stores: exact round trips, old JSON still read, bad bytes refused. */
class CompactSerdeTest {
    private static final String PAIR = "tenant-000123:LINE:member-0042:U4af4980629a1b2c3d4e5f60718293a4b";

    @Test
    void seenEventsRoundTripIncludingAbsentFieldsAndAreSmallerThanJson() {
        CompactSerde<SeenEvent> serde = CompactSerde.seenEvents();
        SeenEvent full = new SeenEvent(PAIR, EventType.MESSAGE, Direction.INBOUND, "room-1", AuditKind.STRIPPED, 1_760_000_000_123L);
        SeenEvent sparse = new SeenEvent(PAIR, EventType.UNFOLLOW, Direction.INBOUND, null, AuditKind.REFUSED, -5L);
        for (SeenEvent e : new SeenEvent[] {full, sparse}) {
            assertEquals(e, serde.deserialize("t", serde.serialize("t", e)));
        }
        int json = JsonSerde.lenient(SeenEvent.class).serializer().serialize("t", full).length;
        int compact = serde.serialize("t", full).length;
        assertTrue(compact < json * 0.75, compact + " bytes vs " + json + " as JSON");
    }

    @Test
    void openRoomsRoundTripAndTheJsonOfEarlierReleasesIsStillRead() {
        CompactSerde<OpenRoom> serde = CompactSerde.openRooms();
        OpenRoom room = new OpenRoom("room-9f", "acme", Connector.WORKS, "m1", "ext@x", "ca-1", 1_700_000_000_000L, 7L);
        assertEquals(room, serde.deserialize("t", serde.serialize("t", room)));
        byte[] legacy = JsonSerde.lenient(OpenRoom.class).serializer().serialize("t", room);
        assertEquals(room, serde.deserialize("t", legacy), "a changelog written as JSON restores");
    }

    @Test
    void unknownOrTruncatedBytesAreRefusedWithAClearError() {
        CompactSerde<OpenRoom> serde = CompactSerde.openRooms();
        byte[] good = serde.serialize("t", new OpenRoom("r", "acme", Connector.LINE, "m", "u", "e", 1L, 1L));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        var e = assertThrows(SerializationException.class, () -> serde.deserialize("t", otherVersion));
        assertTrue(e.getMessage().contains("unknown store value format 9"), e.getMessage());
        assertThrows(SerializationException.class, () -> serde.deserialize("t", Arrays.copyOf(good, good.length - 3)));
        assertThrows(SerializationException.class, () -> serde.deserialize("t", new byte[0]));
        assertEquals(null, serde.deserialize("t", null));
    }
}
