package io.connectorgateway.local.fault;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the fault suite plays, generated from a seed: six tenants with different settings on both
 * connectors, their connected members, a mix of events (friend-adds with current and stale
 * tokens, contact-adds, messages both ways with and without restricted attachments, group
 * content, unfollows, unsends), and the settings flips made during the run. The generator knows
 * nothing about the rules' outcomes: the reference model decides what each event should get.
 */
final class FaultTraffic {
    static final List<String> TENANTS = List.of("f0", "f1", "f2", "f3", "f4", "f5");
    static final int MEMBERS = 8;
    static final int USERS_PER_MEMBER = 5;
    private static final Actor ADMIN = new Actor("fault-admin", Actor.Role.TENANT_ADMIN);
    private static final AttachmentKind[] KINDS = AttachmentKind.values();
    private static final GroupContentType[] GROUP = GroupContentType.values();

    /** A settings or members row to produce (control input). */
    record Control(TenantSettings settings, ConnectedMember member) {
        String key() {
            return settings != null ? settings.key() : member.key();
        }

        /** The id the policy puts in {@code causeId} of the drops this row causes. */
        String causeId() {
            return settings != null ? "settings:" + settings.key() + ":v" + settings.version()
                    : "members:" + member.key() + ":v" + member.version();
        }
    }

    /**
     * A settings flip during the run: rows written together, with the rooms it must drop described
     * by {@code drops} (tenant, connector and member of an open room -> dropped by this flip).
     */
    record Flip(String name, String tenant, List<Control> rows, DropScope drops) {
    }

    /** Which open rooms a flip must drop. */
    interface DropScope {
        boolean drops(Connector connector, String member);

        static DropScope none() {
            return (c, m) -> false;
        }

        static DropScope connector(Connector connector) {
            return (c, m) -> c == connector;
        }

        static DropScope members(Connector connector, Predicate<String> member) {
            return (c, m) -> c == connector && member.test(m);
        }
    }

    private final Random random;
    private final Map<String, String> currentToken = new HashMap<>();
    private final Map<String, String> lastMessage = new HashMap<>();
    private long sequence;

    FaultTraffic(long seed) {
        this.random = new Random(seed);
    }

    static String member(int i) {
        return "m" + i;
    }

    static String externalUser(Connector c, String member, int i) {
        return c == Connector.LINE ? "Lu" + member + "x" + i : "wu" + member + "x" + i + "@ext.example";
    }

    private static Change change(String why) {
        return new Change(ADMIN, why, 1_760_000_000_000L);
    }

    private static TenantSettings settings(String tenant, Connector c, long version, boolean enabled, PermissionMode mode,
                                           boolean greeting, AttachmentRestriction attachments) {
        return new TenantSettings(TenantSettings.SCHEMA_VERSION, tenant, c, version, Plan.BASIC, enabled, mode, false,
                greeting ? new Greeting(true, "Hello from " + tenant, "sale " + version) : Greeting.off(), attachments,
                change("fault suite " + tenant + ":" + c + " v" + version));
    }

    private static AttachmentRestriction restrict(AttachmentAction action, AttachmentKind... kinds) {
        return new AttachmentRestriction(true, action, kinds.length == 0 ? null : EnumSet.of(kinds[0], kinds));
    }

    private ConnectedMember memberRow(String tenant, Connector c, String member, boolean granted, long version) {
        String token = granted ? "tk-" + tenant + "-" + c.name().toLowerCase() + "-" + member + "-" + version : null;
        String key = Ids.memberKey(tenant, c, member);
        if (granted) {
            currentToken.put(key, token);
        }
        return new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, c, member, granted, token, version,
                ConnectedMember.Source.ADMIN, change((granted ? "grant " : "revoke ") + member));
    }

    /** Settings and members before the first event. */
    List<Control> initialControl() {
        List<Control> rows = new ArrayList<>();
        AttachmentRestriction off = AttachmentRestriction.off();
        rows.add(settingsRow(settings("f0", Connector.LINE, 1, true, PermissionMode.ALL_MEMBERS, true,
                restrict(AttachmentAction.STRIP, AttachmentKind.IMAGE, AttachmentKind.VIDEO, AttachmentKind.FILE))));
        rows.add(settingsRow(settings("f0", Connector.WORKS, 1, true, PermissionMode.ALL_MEMBERS, false,
                restrict(AttachmentAction.BLOCK))));
        rows.add(settingsRow(settings("f1", Connector.LINE, 1, true, PermissionMode.BY_MEMBER, true, off)));
        rows.add(settingsRow(settings("f1", Connector.WORKS, 1, true, PermissionMode.ALL_MEMBERS, false, off)));
        rows.add(settingsRow(settings("f2", Connector.LINE, 1, true, PermissionMode.ALL_MEMBERS, false,
                restrict(AttachmentAction.BLOCK, AttachmentKind.FILE))));
        rows.add(settingsRow(settings("f2", Connector.WORKS, 1, true, PermissionMode.BY_MEMBER, false,
                restrict(AttachmentAction.STRIP))));
        rows.add(settingsRow(settings("f3", Connector.LINE, 1, true, PermissionMode.ALL_MEMBERS, true, off)));
        rows.add(settingsRow(settings("f3", Connector.WORKS, 1, true, PermissionMode.ALL_MEMBERS, false, off)));
        rows.add(settingsRow(settings("f4", Connector.LINE, 1, true, PermissionMode.ALL_MEMBERS, true,
                restrict(AttachmentAction.STRIP))));
        rows.add(settingsRow(settings("f4", Connector.WORKS, 1, true, PermissionMode.ALL_MEMBERS, false, off)));
        // f5 LINE starts disabled: everything for it is refused until nothing changes (a control group).
        rows.add(settingsRow(settings("f5", Connector.LINE, 1, false, PermissionMode.ALL_MEMBERS, false, off)));
        rows.add(settingsRow(settings("f5", Connector.WORKS, 1, true, PermissionMode.ALL_MEMBERS, false,
                restrict(AttachmentAction.BLOCK, AttachmentKind.IMAGE))));
        for (String t : TENANTS) {
            for (int m = 0; m < MEMBERS; m++) {
                // LINE friend-adds need the member's current token in both modes (R5)
                rows.add(new Control(null, memberRow(t, Connector.LINE, member(m), true, 1)));
            }
        }
        for (int m = 0; m < MEMBERS; m++) {
            rows.add(new Control(null, memberRow("f2", Connector.WORKS, member(m), true, 1)));
            if (m < 4) {
                // f3 WORKS lists only half its members: the switch to BY_MEMBER drops the others' rooms
                rows.add(new Control(null, memberRow("f3", Connector.WORKS, member(m), true, 1)));
            }
        }
        return rows;
    }

    /** The tenant of the gateway's LINE channel: on, ALL_MEMBERS, its one member with the channel's token. */
    static List<Control> gatewayTenant(String tenant, String member, String urlToken) {
        return List.of(settingsRow(settings(tenant, Connector.LINE, 1, true, PermissionMode.ALL_MEMBERS, false,
                        AttachmentRestriction.off())),
                new Control(null, new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, Connector.LINE, member, true,
                        urlToken, 1, ConnectedMember.Source.ADMIN, change("gateway channel member"))));
    }

    private static Control settingsRow(TenantSettings s) {
        return new Control(s, null);
    }

    /**
     * The flips of the run, in order. Each touches one tenant; the suite keeps that tenant quiet
     * around it (see the test) so a flip never races with that tenant's events.
     */
    List<Flip> flips() {
        AttachmentRestriction off = AttachmentRestriction.off();
        return List.of(
                new Flip("disable f1 LINE", "f1", List.of(settingsRow(settings("f1", Connector.LINE, 2, false,
                        PermissionMode.BY_MEMBER, true, off))), DropScope.connector(Connector.LINE)),
                new Flip("disable f2 WORKS", "f2", List.of(settingsRow(settings("f2", Connector.WORKS, 2, false,
                        PermissionMode.BY_MEMBER, false, restrict(AttachmentAction.STRIP)))), DropScope.connector(Connector.WORKS)),
                new Flip("re-enable f1 LINE", "f1", List.of(settingsRow(settings("f1", Connector.LINE, 3, true,
                        PermissionMode.BY_MEMBER, true, off))), DropScope.none()),
                new Flip("switch f3 WORKS to BY_MEMBER (m0-m3 listed)", "f3", List.of(settingsRow(settings("f3",
                        Connector.WORKS, 2, true, PermissionMode.BY_MEMBER, false, off))),
                        DropScope.members(Connector.WORKS, m -> Integer.parseInt(m.substring(1)) >= 4)),
                new Flip("revoke f1 LINE m0, m1", "f1", List.of(
                        new Control(null, memberRow("f1", Connector.LINE, member(0), false, 2)),
                        new Control(null, memberRow("f1", Connector.LINE, member(1), false, 2))),
                        DropScope.members(Connector.LINE, m -> m.equals("m0") || m.equals("m1"))),
                new Flip("revoke f4 LINE m2 in ALL_MEMBERS (drops nothing)", "f4", List.of(
                        new Control(null, memberRow("f4", Connector.LINE, member(2), false, 2))), DropScope.none()),
                new Flip("re-enable f2 WORKS", "f2", List.of(settingsRow(settings("f2", Connector.WORKS, 3, true,
                        PermissionMode.BY_MEMBER, false, restrict(AttachmentAction.STRIP)))), DropScope.none()));
    }

    /** The next event, for a tenant not in {@code quiet}; {@code timestamp} is its record time. */
    ConnectorEvent next(long timestamp, Set<String> quiet) {
        List<String> open = TENANTS.stream().filter(t -> !quiet.contains(t)).toList();
        if (open.isEmpty()) {
            return null;
        }
        String tenant = open.get(random.nextInt(open.size()));
        Connector c = random.nextBoolean() ? Connector.LINE : Connector.WORKS;
        String member = member(random.nextInt(MEMBERS));
        String user = externalUser(c, member, random.nextInt(USERS_PER_MEMBER));
        String id = "fe-" + (++sequence);
        ConnectorEvent.Builder b = ConnectorEvent.builder().eventId(id).tenant(tenant).connector(c).memberId(member)
                .externalUserId(user).timestamp(timestamp);
        String pair = Ids.pairKey(tenant, c, member, user);
        int roll = random.nextInt(100);
        if (roll < 15) {
            if (c == Connector.LINE) {
                String token = currentToken.get(Ids.memberKey(tenant, c, member));
                // one in ten through an old or forged URL (R5: refused)
                if (token == null || random.nextInt(10) == 0) {
                    token = "tk-stale-" + random.nextInt(1000);
                }
                return b.direction(Direction.INBOUND).type(EventType.FRIEND_ADD).urlToken(token).build();
            }
            return b.direction(Direction.OUTBOUND).type(EventType.CONTACT_ADD).build();
        }
        if (roll < 19 && c == Connector.LINE) {
            return b.direction(Direction.INBOUND).type(EventType.UNFOLLOW).build();
        }
        Direction direction = random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
        if (roll < 22 && c == Connector.LINE && lastMessage.containsKey(pair)) {
            String[] target = lastMessage.remove(pair).split(" ");
            // mostly the sender unsends; sometimes the other side tries (R10: refused)
            Direction sender = Direction.valueOf(target[1]);
            Direction other = sender == Direction.INBOUND ? Direction.OUTBOUND : Direction.INBOUND;
            Direction by = random.nextInt(5) == 0 ? other : sender;
            return b.direction(by).type(EventType.UNSEND).targetEventId(target[0]).build();
        }
        List<Attachment> attachments = new ArrayList<>();
        if (random.nextInt(10) < 3) {
            int n = 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                AttachmentKind k = KINDS[random.nextInt(KINDS.length)];
                attachments.add(new Attachment(k, k.name().toLowerCase() + ".bin", 100L + i, "ref-" + id + "-" + i));
            }
        }
        lastMessage.put(pair, id + " " + direction);
        if (c == Connector.WORKS && roll < 30) {
            return b.direction(direction).type(EventType.GROUP_CONTENT).groupContentType(GROUP[random.nextInt(GROUP.length)])
                    .text("group note " + id).attachments(attachments).build();
        }
        return b.direction(direction).type(EventType.MESSAGE).text("message " + id).attachments(attachments).build();
    }
}
