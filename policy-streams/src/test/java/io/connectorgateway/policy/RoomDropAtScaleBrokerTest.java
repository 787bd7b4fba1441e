package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** R4 at scale: two instances, 8 partitions; disabling a connector drops every room of that tenant once. */
@ExtendWith(KafkaBrokerExtension.class)
class RoomDropAtScaleBrokerTest {

    @Test
    void disablingAConnectorDropsEveryRoomOfThatTenantExactlyOnceAcrossInstances(KafkaBroker broker,
                                                                                 KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 8)) {
            var a = stack.start("policy");
            var b = stack.start("policy");
            assertTrue(a.awaitRunning(KafkaBroker.patience()) && b.awaitRunning(KafkaBroker.patience()));

            stack.settings(settings("acme", Connector.LINE).build());
            stack.settings(settings("acme", Connector.WORKS).build());
            stack.settings(settings("other", Connector.LINE).build());
            for (int m = 0; m < 10; m++) {
                stack.member(granted("acme", Connector.LINE, "m" + m, "t" + m, 1));
                stack.member(granted("other", Connector.LINE, "m" + m, "o" + m, 1));
            }
            stack.awaitSettings("acme:LINE", 1);
            stack.awaitSettings("acme:WORKS", 1);
            stack.awaitSettings("other:LINE", 1);
            for (int m = 0; m < 10; m++) {
                stack.awaitMember("acme:LINE:m" + m, 1);
                stack.awaitMember("other:LINE:m" + m, 1);
            }
            BrokerStack.awaitInstancesRunTasks(a.streams(), b.streams());

            final int acmeLine = 40;
            for (int m = 0; m < 10; m++) {
                for (int u = 0; u < 4; u++) {
                    stack.event(friendAdd("a-" + m + "-" + u, "acme", "m" + m, "U" + u, "t" + m));
                }
                stack.event(friendAdd("o-" + m, "other", "m" + m, "U0", "o" + m));
                if (m < 5) {
                    stack.event(contactAdd("w-" + m, "acme", "m" + m, "ext" + m + "@x"));
                }
            }
            int total = acmeLine + 10 + 5;
            List<RoomCommand> opened = BrokerStack.values(stack.read(stack.topics.rooms, r -> r.size() >= total));
            assertEquals(total, opened.size(), "every friend-add and contact-add opened a room");
            Set<String> acmeLineRooms = opened.stream()
                    .filter(r -> r.tenant().equals("acme") && r.connector() == Connector.LINE)
                    .map(RoomCommand::roomId).collect(Collectors.toSet());
            assertEquals(acmeLine, acmeLineRooms.size());

            stack.settings(settings("acme", Connector.LINE).version(2).enabled(false).build());

            List<RoomCommand> all = BrokerStack.values(stack.readSettled(stack.topics.rooms,
                    r -> r.size() >= total + acmeLine, Duration.ofSeconds(3)));
            List<RoomCommand> dropped = all.stream().filter(r -> r.action() == RoomCommand.Action.DROPPED).toList();
            Map<String, Long> dropsPerRoom = dropped.stream()
                    .collect(Collectors.groupingBy(RoomCommand::roomId, Collectors.counting()));
            assertEquals(acmeLineRooms, dropsPerRoom.keySet(), "exactly acme's LINE rooms, no other room");
            assertTrue(dropsPerRoom.values().stream().allMatch(n -> n == 1), "each dropped once: " + dropsPerRoom);
            dropped.forEach(d -> assertEquals(RoomCommand.Reason.CONNECTOR_DISABLED, d.reason()));
            dropped.forEach(d -> assertEquals(2L, d.settingsVersion()));

            List<AuditRecord> drops = BrokerStack.values(stack.readSettled(stack.topics.audit,
                    r -> r.stream().filter(x -> x.value().kind() == AuditKind.ROOM_DROPPED).count() >= acmeLine,
                    Duration.ofSeconds(1))).stream().filter(x -> x.kind() == AuditKind.ROOM_DROPPED).toList();
            assertEquals(acmeLine, drops.size(), "one audit record per drop");
            assertEquals(acmeLineRooms, drops.stream().map(AuditRecord::roomId).collect(Collectors.toSet()));
        }
    }
}
