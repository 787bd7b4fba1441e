package io.connectorgateway.contracts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.GreetingResult;
import io.connectorgateway.contracts.command.RoomCommand;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** One valid sample of every record type, shared by the serde tests. */
final class Samples {
    static final long T = 1_700_000_000_000L;
    static final Change CHANGE = new Change(new Actor("alice@acme", Actor.Role.TENANT_ADMIN), "open LINE for sales", T);

    private Samples() {
    }

    static ConnectorEvent lineMessage() {
        return ConnectorEvent.builder().eventId("01HX-evt-1").tenant("acme").connector(Connector.LINE)
                .direction(Direction.INBOUND).type(EventType.MESSAGE).memberId("m-1").externalUserId("U1234abcd")
                .timestamp(T).text("hello こんにちは 👋")
                .attachments(new Attachment(AttachmentKind.IMAGE, "photo.jpg", 12345L, "line-msg-1"),
                        Attachment.of(AttachmentKind.STICKER))
                .source("line-webhook").build();
    }

    static ConnectorEvent friendAdd() {
        return ConnectorEvent.builder().eventId("01HX-evt-2").tenant("acme").connector(Connector.LINE)
                .direction(Direction.INBOUND).type(EventType.FRIEND_ADD).memberId("m-1").externalUserId("U1234abcd")
                .timestamp(T).urlToken("tok-1").redelivery(true).channelId("1650000001").build();
    }

    static ConnectorEvent worksGroupNote() {
        return ConnectorEvent.builder().eventId("w-evt-3").tenant("acme").connector(Connector.WORKS)
                .direction(Direction.OUTBOUND).type(EventType.GROUP_CONTENT).memberId("m-2").externalUserId("ext@other")
                .roomId("room-9").timestamp(T).text("minutes").groupContentType(GroupContentType.NOTE)
                .attachments(Attachment.of(AttachmentKind.TEMPLATE), Attachment.of(AttachmentKind.DRIVE_FOLDER)).build();
    }

    static ConnectorEvent unsend() {
        return ConnectorEvent.builder().eventId("01HX-evt-4").tenant("acme").connector(Connector.LINE)
                .direction(Direction.INBOUND).type(EventType.UNSEND).memberId("m-1").externalUserId("U1234abcd")
                .timestamp(T).targetEventId("01HX-evt-1").build();
    }

    static ConnectorEvent unfollow() {
        return ConnectorEvent.builder().eventId("01HX-evt-5").tenant("acme").connector(Connector.LINE)
                .direction(Direction.INBOUND).type(EventType.UNFOLLOW).memberId("m-1").externalUserId("U1234abcd")
                .timestamp(T).build();
    }

    static ConnectorEvent contactAdd() {
        return ConnectorEvent.builder().eventId("w-evt-6").tenant("acme").connector(Connector.WORKS)
                .direction(Direction.OUTBOUND).type(EventType.CONTACT_ADD).memberId("m-2").externalUserId("ext@other")
                .timestamp(T).build();
    }

    static ConnectorEvent worksMessage() {
        return ConnectorEvent.builder().eventId("w-evt-7").tenant("acme").connector(Connector.WORKS)
                .direction(Direction.INBOUND).type(EventType.MESSAGE).memberId("m-2").externalUserId("ext@other")
                .timestamp(T).text("see attached")
                .attachments(new Attachment(AttachmentKind.DRIVE_FILE, "plan.xlsx", 2048L, "drive-7"),
                        Attachment.of(AttachmentKind.CONTACT))
                .build();
    }

    static DirectoryEvent joined() {
        return DirectoryEvent.of("d-1", "acme", "m-3", DirectoryEvent.Type.JOINED, T);
    }

    static TenantSettings settings() {
        return new TenantSettings(1, "acme", Connector.LINE, 3, Plan.BASIC, true, PermissionMode.BY_MEMBER, true,
                new Greeting(true, "Hi {userName}, this is {memberName}", "10% off this week"),
                new AttachmentRestriction(true, AttachmentAction.STRIP, EnumSet.of(AttachmentKind.IMAGE, AttachmentKind.FILE)),
                CHANGE);
    }

    static ConnectedMember member() {
        return new ConnectedMember(1, "acme", Connector.LINE, "m-1", true, "tok-1", 2, ConnectedMember.Source.ADMIN, CHANGE);
    }

    static Delivery delivery() {
        return Delivery.of("dlv-01HX-evt-1", "acme", Connector.LINE, "01HX-evt-1", Direction.INBOUND)
                .room("room-1", "m-1", "U1234abcd")
                .content("hello", List.of(Attachment.of(AttachmentKind.STICKER)))
                .stripped(List.of(Attachment.of(AttachmentKind.IMAGE)), "1 image was removed: attachments are restricted")
                .decidedUnder(3, T)
                .inClear();
    }

    static RoomCommand roomDropped() {
        return new RoomCommand(1, "drop-room-1", RoomCommand.Action.DROPPED, "acme", Connector.LINE, "room-1", "m-1",
                "U1234abcd", RoomCommand.Reason.CONNECTOR_DISABLED, 4, "settings-acme-LINE-4", T);
    }

    static GreetingCommand greeting() {
        return new GreetingCommand(1, "greet-01HX-evt-2", "acme", "room-1", "m-1", "U1234abcd", "Hi {userName}",
                "10% off", 3, "01HX-evt-2", T, "1650000001");
    }

    static GreetingResult greetingResult() {
        return new GreetingResult(1, "greet-01HX-evt-2", "acme", "room-1", "U1234abcd", GreetingResult.Outcome.FAILED,
                "HTTP 400: invalid to", 1, 42, T);
    }

    static AuditRecord audit() {
        var after = JsonNodeFactory.instance.objectNode().put("enabled", false);
        var before = JsonNodeFactory.instance.objectNode().put("enabled", true);
        return new AuditRecord(1, "settings-acme-LINE-4", "acme", Connector.LINE, AuditKind.SETTINGS_CHANGED, "R10",
                "connector disabled", 4L, T, "chg-1", null, null, null, null,
                new Actor("alice@acme", Actor.Role.TENANT_ADMIN), null, List.of("IMAGE"), before, after,
                Map.of("dropped", "12"), null, null);
    }

    static HistoryEntry history() {
        return new HistoryEntry(1, "01HX-evt-1", "acme", Connector.LINE, Direction.INBOUND, "room-1", "m-1", "U1234abcd",
                T, "hello", List.of(Attachment.of(AttachmentKind.IMAGE)), AuditKind.STRIPPED, false);
    }
}
