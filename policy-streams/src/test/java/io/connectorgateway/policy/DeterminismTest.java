package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.joined;
import static io.connectorgateway.policy.Fixtures.left;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unsend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R11: the same inputs give the same decisions, byte for byte. */
class DeterminismTest {

    /** A day in the life of two tenants: every kind of input, with settings changes in between. */
    static void script(PolicyDriver p) {
        p.settings(settings("acme", Connector.LINE).byMember().greeting("hi", "sale").build())
                .settings(settings("acme", Connector.WORKS).byMember().autoGrant(true)
                        .restrict(AttachmentAction.STRIP).build())
                .settings(settings("beta", Connector.LINE).build())
                .member(granted("acme", Connector.LINE, "m1", "t1", 1))
                .member(granted("beta", Connector.LINE, "b1", "tb", 1))
                .directory(joined("j-1", "acme", "m2"))
                .events(friendAdd("fa-1", "acme", "m1", "U1", "t1"),
                        friendAdd("fa-2", "beta", "b1", "U1", "tb"),
                        contactAdd("ca-1", "acme", "m2", "w@x"),
                        message("e-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "a", AttachmentKind.IMAGE),
                        message("e-2", "acme", Connector.WORKS, "m2", "w@x", Direction.OUTBOUND, "b", AttachmentKind.FILE),
                        unsend("e-3", "acme", "m1", "U1", Direction.INBOUND, "e-1"))
                .settings(settings("acme", Connector.LINE).version(2).byMember()
                        .restrict(AttachmentAction.BLOCK).build())
                .event(message("e-4", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "c", AttachmentKind.VIDEO))
                .member(removed("acme", Connector.LINE, "m1", 2))
                .directory(left("l-1", "acme", "m2"))
                .events(message("e-5", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "d"),
                        message("e-6", "beta", Connector.LINE, "b1", "U1", Direction.INBOUND, "e"))
                .settings(settings("beta", Connector.LINE).version(2).enabled(false).build());
    }

    @Test
    void replayingTheSameInputsGivesTheSameDecisions() {
        List<Object> first;
        List<Object> second;
        try (PolicyDriver p = new PolicyDriver()) {
            script(p);
            first = List.of(p.deliveries, p.rooms, p.greetings, p.audit, p.history, p.memberRows);
        }
        try (PolicyDriver p = new PolicyDriver()) {
            script(p);
            second = List.of(p.deliveries, p.rooms, p.greetings, p.audit, p.history, p.memberRows);
        }
        assertEquals(first, second);
        // and the script really exercised the rules, so the comparison means something
        @SuppressWarnings("unchecked")
        List<io.connectorgateway.contracts.command.RoomCommand> rooms =
                (List<io.connectorgateway.contracts.command.RoomCommand>) first.get(1);
        assertTrue(rooms.size() >= 6, "opened and dropped rooms: " + rooms);
        assertTrue(((List<?>) first.get(3)).size() >= 12);
    }
}
