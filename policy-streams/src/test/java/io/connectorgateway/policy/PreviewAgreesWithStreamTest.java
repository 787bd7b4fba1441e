package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.left;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.rules.RoomDrop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The impact preview (what the admin API and the console show before a change) and the stream
 * (what the change then does) agree on every drop cause: the preview's rooms and reasons, computed
 * with {@link RoomDrop#preview} from the state the test knows, are exactly the rooms the topology
 * drops, with the same reasons, when the change is applied.
 *
 * <p>The scene: tenant acme, LINE BY_MEMBER with m1 (two LINE users) and m2 granted, WORKS
 * ALL_MEMBERS with rooms of m1 and m9 (m9 granted on WORKS).
 */
class PreviewAgreesWithStreamTest {
    private final PolicyDriver p = new PolicyDriver();
    private final List<RoomCommand> open = new ArrayList<>();
    private TenantSettings line;
    private TenantSettings works;
    private final Set<String> lineGranted = new HashSet<>(Set.of("m1", "m2"));
    private final Set<String> worksGranted = new HashSet<>(Set.of("m9"));
    private final Set<String> left = new HashSet<>();

    @BeforeEach
    void scene() {
        line = settings("acme", Connector.LINE).byMember().build();
        works = settings("acme", Connector.WORKS).allMembers().build();
        p.settings(line).settings(works)
                .member(granted("acme", Connector.LINE, "m1", "t1", 1))
                .member(granted("acme", Connector.LINE, "m2", "t2", 1))
                .member(granted("acme", Connector.WORKS, "m9", "tw", 1))
                .event(friendAdd("fa-1", "acme", "m1", "U1", "t1"))
                .event(friendAdd("fa-2", "acme", "m1", "U2", "t1"))
                .event(friendAdd("fa-3", "acme", "m2", "U3", "t2"))
                .event(contactAdd("ca-1", "acme", "m1", "ext@other"))
                .event(contactAdd("ca-9", "acme", "m9", "ext@other"));
        open.addAll(p.rooms(RoomCommand.Action.OPENED));
        assertEquals(5, open.size());
        p.clearOutputs();
    }

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void disablingAConnector() {
        TenantSettings after = settings("acme", Connector.LINE).version(2).byMember().enabled(false).build();
        assertAgree(line, after, lineGranted, lineGranted, () -> p.settings(after), RoomCommand.Reason.CONNECTOR_DISABLED);
    }

    @Test
    void loweringThePlanWithTheSwitchStillOn() {
        TenantSettings after = settings("acme", Connector.LINE).version(2).byMember().plan(Plan.FREE).build();
        assertAgree(line, after, lineGranted, lineGranted, () -> p.settings(after), RoomCommand.Reason.PLAN_BELOW_LITE);
    }

    @Test
    void loweringThePlanAndDisablingAtOnceIsReportedAsThePlan() {
        TenantSettings after = settings("acme", Connector.LINE).version(2).byMember().plan(Plan.FREE).enabled(false).build();
        assertAgree(line, after, lineGranted, lineGranted, () -> p.settings(after), RoomCommand.Reason.PLAN_BELOW_LITE);
    }

    @Test
    void switchingToByMember() {
        TenantSettings after = settings("acme", Connector.WORKS).version(2).byMember().build();
        assertAgree(works, after, worksGranted, worksGranted, () -> p.settings(after), RoomCommand.Reason.SWITCHED_TO_BY_MEMBER);
    }

    @Test
    void removingAMember() {
        Set<String> after = new HashSet<>(lineGranted);
        after.remove("m1");
        assertAgree(line, line, lineGranted, after, () -> p.member(removed("acme", Connector.LINE, "m1", 2)),
                RoomCommand.Reason.MEMBER_REMOVED);
    }

    @Test
    void aMemberWhoLeftIsTheStreamsToDropAtOnceAndNoLaterChangeCountsTheirRooms() {
        // The member leaves: the stream drops m2's rooms with MEMBER_LEFT at once, on every connector.
        p.directory(left("d-1", "acme", "m2"));
        Set<String> m2Rooms = open.stream().filter(r -> r.memberId().equals("m2")).map(RoomCommand::roomId).collect(Collectors.toSet());
        assertEquals(m2Rooms, p.rooms(RoomCommand.Action.DROPPED).stream()
                .filter(r -> r.reason() == RoomCommand.Reason.MEMBER_LEFT).map(RoomCommand::roomId).collect(Collectors.toSet()));
        // A preview taken with the member known as LEFT, while the room is still listed as open
        // (the view not yet updated), does not count it for the change, and neither does the stream.
        left.add("m2");
        p.clearOutputs();
        TenantSettings after = settings("acme", Connector.LINE).version(2).byMember().enabled(false).build();
        Set<Drop> predicted = assertAgree(line, after, lineGranted, lineGranted, () -> p.settings(after),
                RoomCommand.Reason.CONNECTOR_DISABLED);
        assertFalse(predicted.stream().anyMatch(d -> m2Rooms.contains(d.roomId())), "m2's room is not the change's to drop");
    }

    @Test
    void aChangeThatDropsNothingIsPreviewedAsNothing() {
        // Removing a member in ALL_MEMBERS mode: the list does not decide permission there.
        Set<String> after = new HashSet<>(worksGranted);
        after.remove("m9");
        Set<Drop> predicted = preview(works, works, worksGranted, after);
        p.member(removed("acme", Connector.WORKS, "m9", 2));
        assertEquals(Set.of(), predicted);
        assertEquals(predicted, dropped());
    }

    private record Drop(String roomId, RoomCommand.Reason reason) {
    }

    private Set<Drop> assertAgree(TenantSettings now, TenantSettings after, Set<String> grantedNow, Set<String> grantedAfter,
                                  Runnable apply, RoomCommand.Reason expected) {
        Set<Drop> predicted = preview(now, after, grantedNow, grantedAfter);
        apply.run();
        Set<Drop> actual = dropped();
        assertEquals(predicted, actual, "preview and stream");
        assertFalse(actual.isEmpty(), "the change drops rooms");
        actual.forEach(d -> assertEquals(expected, d.reason(), "reason of " + d));
        return predicted;
    }

    private Set<Drop> preview(TenantSettings now, TenantSettings after, Set<String> grantedNow, Set<String> grantedAfter) {
        List<RoomCommand> openOnConnector = open.stream().filter(r -> r.connector() == now.connector()).toList();
        return RoomDrop.preview(now, after, grantedNow, grantedAfter, left::contains, openOnConnector).stream()
                .map(d -> new Drop(d.roomId(), d.reason())).collect(Collectors.toSet());
    }

    private Set<Drop> dropped() {
        return p.rooms(RoomCommand.Action.DROPPED).stream().map(r -> new Drop(r.roomId(), r.reason())).collect(Collectors.toSet());
    }
}
