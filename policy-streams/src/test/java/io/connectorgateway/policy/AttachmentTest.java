package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.groupContent;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R8: STRIP vs BLOCK for every restricted kind the guides name, both connectors, both directions.
 * One driver per connector x action serves all cases (each case uses its own event id), because a
 * fresh RocksDB-backed driver per case would make this the slowest test of the module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttachmentTest {
    private final Map<String, PolicyDriver> drivers = new HashMap<>();

    @AfterAll
    void closeAll() {
        drivers.values().forEach(PolicyDriver::close);
    }

    private PolicyDriver shared(Connector connector, AttachmentAction action) {
        return drivers.computeIfAbsent(connector + "-" + action, k -> withRoom(connector, action));
    }

    private static Delivery deliveryOf(PolicyDriver p, String eventId) {
        return p.deliveries.stream().filter(d -> d.eventId().equals(eventId)).findFirst().orElse(null);
    }

    /** The kinds the guides name: camera photos and videos, files, contacts, Drive files and folders, templates. */
    static final List<AttachmentKind> NAMED = List.of(AttachmentKind.IMAGE, AttachmentKind.VIDEO, AttachmentKind.FILE,
            AttachmentKind.CONTACT, AttachmentKind.DRIVE_FILE, AttachmentKind.DRIVE_FOLDER, AttachmentKind.TEMPLATE);

    static Stream<Arguments> everyCombination() {
        List<Arguments> all = new ArrayList<>();
        for (AttachmentKind kind : NAMED) {
            for (Connector c : Connector.values()) {
                for (Direction d : Direction.values()) {
                    for (AttachmentAction a : AttachmentAction.values()) {
                        all.add(Arguments.of(kind, c, d, a));
                    }
                }
            }
        }
        return all.stream();
    }

    /** A driver with an open room on {@code connector} under the guides' default restriction. */
    private static PolicyDriver withRoom(Connector connector, AttachmentAction action) {
        PolicyDriver p = new PolicyDriver();
        p.settings(settings("acme", connector).restrict(action).build())
                .member(granted("acme", connector, "m1", "tok-1", 1))
                .event(connector == Connector.LINE ? friendAdd("open", "acme", "m1", "X1", "tok-1")
                        : contactAdd("open", "acme", "m1", "X1"))
                .clearOutputs();
        return p;
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyCombination")
    void aRestrictedKindIsStrippedOrBlockedWhileTextAndStickersPass(AttachmentKind kind, Connector connector,
                                                                      Direction direction, AttachmentAction action) {
        PolicyDriver p = shared(connector, action);
        String id = "msg-" + kind + "-" + direction;
        p.event(message(id, "acme", connector, "m1", "X1", direction, "see attached", kind, AttachmentKind.STICKER));
        var audit = p.auditFor(id);
        assertEquals("R8", audit.rule());
        assertTrue(audit.attachmentKinds().contains(kind.name()));
        if (action == AttachmentAction.STRIP) {
            assertEquals(AuditKind.STRIPPED, audit.kind());
            Delivery d = deliveryOf(p, id);
            assertEquals("see attached", d.text(), "text passes");
            assertEquals(List.of(AttachmentKind.STICKER), d.attachments().stream().map(Attachment::kind).toList(),
                    "stickers pass");
            assertEquals(List.of(kind), d.stripped().stream().map(Attachment::kind).toList());
            assertNotNull(d.senderNotice(), "the sender is told");
            assertEquals(direction, d.direction());
        } else {
            assertEquals(AuditKind.BLOCKED, audit.kind());
            assertNull(deliveryOf(p, id), "the whole message is refused");
        }
        assertEquals(audit.kind(), p.history.stream().filter(h -> h.eventId().equals(id)).findFirst().orElseThrow()
                .decision());
    }

    @Test
    void textAndStickersAlwaysPassAndUnrestrictedKindsToo() {
        try (PolicyDriver p = withRoom(Connector.LINE, AttachmentAction.BLOCK)) {
            p.event(message("msg-1", "acme", Connector.LINE, "m1", "X1", Direction.OUTBOUND, "hi", AttachmentKind.STICKER))
                    .event(message("msg-2", "acme", Connector.LINE, "m1", "X1", Direction.INBOUND, "voice",
                            AttachmentKind.AUDIO, AttachmentKind.LOCATION));
            assertEquals(AuditKind.DELIVERED, p.auditFor("msg-1").kind());
            assertEquals(AuditKind.DELIVERED, p.auditFor("msg-2").kind());
            assertEquals(2, p.deliveries.size());
            p.deliveries.forEach(d -> assertNull(d.senderNotice()));
        }
    }

    @Test
    void withTheRestrictionOffEverythingPasses() {
        try (PolicyDriver p = new PolicyDriver()) {
            p.settings(settings("acme", Connector.LINE).build())
                    .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                    .event(friendAdd("open", "acme", "m1", "X1", "tok-1"))
                    .event(message("msg", "acme", Connector.LINE, "m1", "X1", Direction.INBOUND, "all",
                            NAMED.toArray(AttachmentKind[]::new)));
            assertEquals(AuditKind.DELIVERED, p.auditFor("msg").kind());
            assertEquals(NAMED.size(), p.deliveries.get(0).attachments().size());
        }
    }

    @Test
    void onlyTheListedKindsAreRestrictedWhenTheAdminNarrowsTheList() {
        try (PolicyDriver p = new PolicyDriver()) {
            p.settings(settings("acme", Connector.LINE).restrict(AttachmentAction.STRIP, AttachmentKind.FILE).build())
                    .member(granted("acme", Connector.LINE, "m1", "tok-1", 1))
                    .event(friendAdd("open", "acme", "m1", "X1", "tok-1"))
                    .event(message("msg", "acme", Connector.LINE, "m1", "X1", Direction.INBOUND, "two",
                            AttachmentKind.IMAGE, AttachmentKind.FILE));
            Delivery d = p.deliveries.get(0);
            assertEquals(List.of(AttachmentKind.IMAGE), d.attachments().stream().map(Attachment::kind).toList());
            assertEquals(List.of(AttachmentKind.FILE), d.stripped().stream().map(Attachment::kind).toList());
        }
    }

    static Stream<Arguments> groupCases() {
        return Stream.of(
                // files may not be attached to notes, calendar events and folders ...
                Arguments.of(GroupContentType.NOTE, AttachmentKind.FILE, true),
                Arguments.of(GroupContentType.EVENT, AttachmentKind.FILE, true),
                Arguments.of(GroupContentType.FOLDER, AttachmentKind.FILE, true),
                Arguments.of(GroupContentType.NOTE, AttachmentKind.IMAGE, true),
                Arguments.of(GroupContentType.FOLDER, AttachmentKind.DRIVE_FOLDER, true),
                // ... templates may not be put on notes and boards ...
                Arguments.of(GroupContentType.NOTE, AttachmentKind.TEMPLATE, true),
                Arguments.of(GroupContentType.BOARD, AttachmentKind.TEMPLATE, true),
                // ... and the guides restrict nothing else
                Arguments.of(GroupContentType.BOARD, AttachmentKind.FILE, false),
                Arguments.of(GroupContentType.EVENT, AttachmentKind.TEMPLATE, false),
                Arguments.of(GroupContentType.NOTE, AttachmentKind.STICKER, false));
    }

    @ParameterizedTest(name = "{0} with {1}: restricted={2}")
    @MethodSource("groupCases")
    void worksExternalGroupContentFollowsTheGuide(GroupContentType where, AttachmentKind kind, boolean restricted) {
        for (Direction direction : Direction.values()) {
            for (AttachmentAction action : AttachmentAction.values()) {
                PolicyDriver p = shared(Connector.WORKS, action);
                String id = "gc-" + where + "-" + kind + "-" + direction;
                p.event(groupContent(id, "acme", "m1", "X1", direction, where, kind));
                AuditKind expected = !restricted ? AuditKind.DELIVERED
                        : action == AttachmentAction.STRIP ? AuditKind.STRIPPED : AuditKind.BLOCKED;
                assertEquals(expected, p.auditFor(id).kind(), direction + " " + action);
                if (expected != AuditKind.BLOCKED) {
                    assertEquals(where, deliveryOf(p, id).groupContentType());
                    assertEquals(restricted, !deliveryOf(p, id).stripped().isEmpty());
                }
            }
        }
    }
}
