package io.connectorgateway.policy;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.Greeting;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Readable builders for the inputs of the policy tests. */
final class Fixtures {
    /**
     * When the story starts: the start of the current hour. Events are stamped with it; the driver's
     * records (and the broker tests' records, stamped when they are produced) come a little later,
     * well inside the stream's freshness window, as the platform's own events do.
     */
    static final long T0 = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
    static final Actor ADMIN = new Actor("admin@acme", Actor.Role.TENANT_ADMIN);

    private Fixtures() {
    }

    static Change change(String why) {
        return new Change(ADMIN, why, T0);
    }

    /** Settings builder: starts as "on, BASIC plan, ALL_MEMBERS, nothing restricted, no greeting". */
    static SettingsBuilder settings(String tenant, Connector connector) {
        return new SettingsBuilder(tenant, connector);
    }

    static final class SettingsBuilder {
        private final String tenant;
        private final Connector connector;
        private long version = 1;
        private Plan plan = Plan.BASIC;
        private boolean enabled = true;
        private PermissionMode mode = PermissionMode.ALL_MEMBERS;
        private boolean autoGrant;
        private Greeting greeting = Greeting.off();
        private AttachmentRestriction attachments = AttachmentRestriction.off();

        SettingsBuilder(String tenant, Connector connector) {
            this.tenant = tenant;
            this.connector = connector;
        }

        SettingsBuilder version(long v) { version = v; return this; }
        SettingsBuilder plan(Plan p) { plan = p; return this; }
        SettingsBuilder enabled(boolean e) { enabled = e; return this; }
        SettingsBuilder byMember() { mode = PermissionMode.BY_MEMBER; return this; }
        SettingsBuilder allMembers() { mode = PermissionMode.ALL_MEMBERS; return this; }
        SettingsBuilder autoGrant(boolean on) { autoGrant = on; return this; }
        SettingsBuilder greeting(String text, String salesInfo) { greeting = new Greeting(true, text, salesInfo); return this; }
        SettingsBuilder restrict(AttachmentAction action, AttachmentKind... kinds) {
            Set<AttachmentKind> set = kinds.length == 0 ? null : EnumSet.copyOf(Arrays.asList(kinds));
            attachments = new AttachmentRestriction(true, action, set);
            return this;
        }

        TenantSettings build() {
            return new TenantSettings(TenantSettings.SCHEMA_VERSION, tenant, connector, version, plan, enabled, mode, autoGrant,
                    greeting, attachments, change("test settings v" + version));
        }
    }

    static ConnectedMember granted(String tenant, Connector connector, String member, String token, long version) {
        return new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, member, true, token, version,
                ConnectedMember.Source.ADMIN, change("grant " + member));
    }

    static ConnectedMember removed(String tenant, Connector connector, String member, long version) {
        return new ConnectedMember(ConnectedMember.SCHEMA_VERSION, tenant, connector, member, false, null, version,
                ConnectedMember.Source.ADMIN, change("remove " + member));
    }

    static DirectoryEvent joined(String id, String tenant, String member) {
        return DirectoryEvent.of(id, tenant, member, DirectoryEvent.Type.JOINED, T0);
    }

    static DirectoryEvent left(String id, String tenant, String member) {
        return DirectoryEvent.of(id, tenant, member, DirectoryEvent.Type.LEFT, T0);
    }

    static ConnectorEvent.Builder base(String id, String tenant, Connector connector, String member, String external) {
        return ConnectorEvent.builder().eventId(id).tenant(tenant).connector(connector).memberId(member)
                .externalUserId(external).timestamp(T0);
    }

    static ConnectorEvent friendAdd(String id, String tenant, String member, String lineUser, String token) {
        return base(id, tenant, Connector.LINE, member, lineUser).direction(Direction.INBOUND).type(EventType.FRIEND_ADD)
                .urlToken(token).build();
    }

    static ConnectorEvent contactAdd(String id, String tenant, String member, String worksUser) {
        return base(id, tenant, Connector.WORKS, member, worksUser).direction(Direction.OUTBOUND)
                .type(EventType.CONTACT_ADD).build();
    }

    static ConnectorEvent unfollow(String id, String tenant, String member, String lineUser) {
        return base(id, tenant, Connector.LINE, member, lineUser).direction(Direction.INBOUND).type(EventType.UNFOLLOW)
                .build();
    }

    static ConnectorEvent message(String id, String tenant, Connector connector, String member, String external,
                                  Direction direction, String text, AttachmentKind... kinds) {
        return base(id, tenant, connector, member, external).direction(direction).type(EventType.MESSAGE).text(text)
                .attachments(attachments(kinds)).build();
    }

    static ConnectorEvent groupContent(String id, String tenant, String member, String worksUser, Direction direction,
                                       GroupContentType where, AttachmentKind... kinds) {
        return base(id, tenant, Connector.WORKS, member, worksUser).direction(direction).type(EventType.GROUP_CONTENT)
                .groupContentType(where).text("group " + where).attachments(attachments(kinds)).build();
    }

    static ConnectorEvent unsend(String id, String tenant, String member, String lineUser, Direction direction,
                                 String target) {
        return base(id, tenant, Connector.LINE, member, lineUser).direction(direction).type(EventType.UNSEND)
                .targetEventId(target).build();
    }

    /** The same event as the source redelivers it. */
    static ConnectorEvent redelivered(ConnectorEvent e) {
        return new ConnectorEvent(e.schemaVersion(), e.eventId(), e.tenant(), e.connector(), e.direction(), e.type(),
                e.memberId(), e.externalUserId(), e.roomId(), e.timestamp(), e.text(), e.attachments(), e.urlToken(),
                e.groupContentType(), e.targetEventId(), true, e.source());
    }

    static List<Attachment> attachments(AttachmentKind... kinds) {
        return Arrays.stream(kinds).map(k -> new Attachment(k, k.name().toLowerCase() + ".bin", 10L, "ref-" + k)).toList();
    }
}
