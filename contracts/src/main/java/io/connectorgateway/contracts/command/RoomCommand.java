package io.connectorgateway.contracts.command;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;

/**
 * A room command on {@code connector.rooms} (key: room id) for the platform.
 *
 * <p>{@code DROPPED}: delete the room from the member's room list and show the member to the
 * external side as an unknown / departed user (SPEC R4). Sent exactly once per room.
 * {@code CLOSED}: the LINE user unfollowed (blocked) the member (SPEC R5b).
 *
 * @param schemaVersion   record schema version
 * @param commandId       stable id: the platform de-duplicates on it
 * @param action          OPENED, DROPPED or CLOSED
 * @param tenant          tenant
 * @param connector       connector
 * @param roomId          the room
 * @param memberId        the member
 * @param externalUserId  the external user
 * @param reason          why (for DROPPED and CLOSED)
 * @param settingsVersion settings version the decision used
 * @param causeId         the event or settings change that caused it
 * @param timestamp       epoch milliseconds of the cause
 */
public record RoomCommand(
        int schemaVersion,
        String commandId,
        Action action,
        String tenant,
        Connector connector,
        String roomId,
        String memberId,
        String externalUserId,
        Reason reason,
        long settingsVersion,
        String causeId,
        long timestamp) {

    public static final int SCHEMA_VERSION = 1;

    public enum Action { OPENED, DROPPED, CLOSED }

    /** Why a room was opened, dropped or closed. */
    public enum Reason {
        FRIEND_ADDED,
        CONTACT_ADDED,
        CONNECTOR_DISABLED,
        PLAN_BELOW_LITE,
        SWITCHED_TO_BY_MEMBER,
        MEMBER_REMOVED,
        MEMBER_LEFT,
        UNFOLLOWED
    }

    public RoomCommand {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("commandId", commandId);
        Ids.require("tenant", tenant);
        Ids.require("roomId", roomId);
        Ids.require("memberId", memberId);
        Ids.require("externalUserId", externalUserId);
        if (action == null || connector == null || reason == null) {
            throw new IllegalArgumentException("action, connector and reason are required");
        }
    }
}
