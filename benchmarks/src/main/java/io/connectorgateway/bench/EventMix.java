package io.connectorgateway.bench;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic LINE traffic mix: many tenants and rooms, every room opened by a
 * friend-add, then mostly text messages, some attachments of every kind, stickers and unsends.
 */
final class EventMix {
    /**
     * The first event's own timestamp: half an hour before the run, whole minutes, so that every event
     * (one millisecond apart, up to a million of them) is inside the policy stream's freshness window
     * against its record timestamp (the time it is produced), neither too old nor stamped ahead.
     */
    static final long T0 = (System.currentTimeMillis() - 30 * 60_000L) / 60_000L * 60_000L;
    static final Change CHANGE = new Change(Actor.system("benchmark"), "benchmark setup", T0);

    final int tenants;
    final int membersPerTenant;
    final int usersPerMember;

    EventMix(int tenants, int membersPerTenant, int usersPerMember) {
        this.tenants = tenants;
        this.membersPerTenant = membersPerTenant;
        this.usersPerMember = usersPerMember;
    }

    static String tenant(int t) {
        return "tenant" + t;
    }

    static String member(int m) {
        return "m" + m;
    }

    static String token(int t, int m) {
        return "tok-" + t + "-" + m;
    }

    List<TenantSettings> settings() {
        List<TenantSettings> out = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            out.add(settings(t, 1, true));
        }
        return out;
    }

    /** Version 2 of the first {@code n} tenants' settings: the attachment action flipped (nothing is dropped). */
    List<TenantSettings> settingsChanges(int n) {
        List<TenantSettings> out = new ArrayList<>();
        for (int t = 0; t < Math.min(n, tenants); t++) {
            out.add(new TenantSettings(1, tenant(t), Connector.LINE, 2, Plan.BASIC, true, PermissionMode.BY_MEMBER, false,
                    new Greeting(t % 2 == 0, "Hello {userName}", "sale"),
                    new AttachmentRestriction(true, t % 2 == 0 ? AttachmentAction.BLOCK : AttachmentAction.STRIP, null),
                    CHANGE));
        }
        return out;
    }

    List<ConnectedMember> members() {
        List<ConnectedMember> out = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            for (int m = 0; m < membersPerTenant; m++) {
                out.add(new ConnectedMember(1, tenant(t), Connector.LINE, member(m), true, token(t, m), 1,
                        ConnectedMember.Source.ADMIN, CHANGE));
            }
        }
        return out;
    }

    int rooms() {
        return tenants * membersPerTenant * usersPerMember;
    }

    /** Friend-adds for every pair first, then {@code messages} messages spread over the pairs. */
    List<ConnectorEvent> events(int messages, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ConnectorEvent> out = new ArrayList<>(rooms() + messages);
        long ts = T0;
        for (int t = 0; t < tenants; t++) {
            for (int m = 0; m < membersPerTenant; m++) {
                for (int u = 0; u < usersPerMember; u++) {
                    out.add(friendAdd(t, m, u, ts++));
                }
            }
        }
        AttachmentKind[] kinds = AttachmentKind.values();
        String lastMessage = null;
        for (int i = 0; i < messages; i++) {
            int t = rnd.nextInt(tenants);
            int m = rnd.nextInt(membersPerTenant);
            int u = rnd.nextInt(usersPerMember);
            Direction d = rnd.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND;
            int roll = rnd.nextInt(100);
            ConnectorEvent.Builder b = base("msg-" + i, t, m, u, ts++).direction(d);
            if (roll < 2 && lastMessage != null) {
                b = base("uns-" + i, t, m, u, ts).direction(Direction.INBOUND).type(EventType.UNSEND).targetEventId(lastMessage);
            } else if (roll < 80) {
                b.type(EventType.MESSAGE).text("message " + i + " about the order, please check the details");
            } else if (roll < 85) {
                b.type(EventType.MESSAGE).attachments(Attachment.of(AttachmentKind.STICKER));
            } else {
                AttachmentKind k = kinds[rnd.nextInt(kinds.length)];
                b.type(EventType.MESSAGE).text("see attached").attachments(new Attachment(k, "f" + i, 1024L, "ref-" + i));
            }
            ConnectorEvent e = b.build();
            if (e.type() == EventType.MESSAGE) {
                lastMessage = e.eventId();
            }
            out.add(e);
        }
        return out;
    }

    /** The LINE user {@code u} adds member {@code m} of tenant {@code t} through the member's current URL. */
    static ConnectorEvent friendAdd(int t, int m, int u, long ts) {
        return base("fa-" + t + "-" + m + "-" + u, t, m, u, ts).type(EventType.FRIEND_ADD).direction(Direction.INBOUND)
                .urlToken(token(t, m)).build();
    }

    /** Settings of tenant {@code t} as {@link #settings()} has them, at {@code version}, enabled or not. */
    static TenantSettings settings(int t, long version, boolean enabled) {
        return new TenantSettings(1, tenant(t), Connector.LINE, version, Plan.BASIC, enabled, PermissionMode.BY_MEMBER,
                false, new Greeting(t % 2 == 0, "Hello {userName}", "sale"),
                new AttachmentRestriction(t % 3 != 0, t % 2 == 0 ? AttachmentAction.STRIP : AttachmentAction.BLOCK, null),
                CHANGE);
    }

    /** A text message from LINE user {@code u} to member {@code m} of tenant {@code t} (a probe). */
    static ConnectorEvent textMessage(String id, int t, int m, int u, long ts) {
        return base(id, t, m, u, ts).direction(Direction.INBOUND).type(EventType.MESSAGE).text("probe " + id).build();
    }

    /** A text message in a random open room of the mix (the latency benchmark's traffic). */
    ConnectorEvent textMessage(String id, SplittableRandom rnd, long ts) {
        return base(id, rnd.nextInt(tenants), rnd.nextInt(membersPerTenant), rnd.nextInt(usersPerMember), ts)
                .direction(rnd.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND).type(EventType.MESSAGE)
                .text("latency probe " + id).build();
    }

    private static ConnectorEvent.Builder base(String id, int t, int m, int u, long ts) {
        return ConnectorEvent.builder().eventId(id).tenant(tenant(t)).connector(Connector.LINE).memberId(member(m))
                .externalUserId("U" + t + "x" + m + "x" + u).timestamp(ts).source("benchmark");
    }
}
