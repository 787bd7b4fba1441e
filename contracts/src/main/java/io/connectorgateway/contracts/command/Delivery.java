package io.connectorgateway.contracts.command;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.GroupContentType;
import java.util.List;

/**
 * An approved message on {@code connector.deliveries} (key: room id) for the platform to deliver.
 *
 * @param schemaVersion    record schema version
 * @param deliveryId       stable id derived from the source event (the platform de-duplicates on it)
 * @param eventId          the source event
 * @param tenant           tenant
 * @param connector        connector
 * @param direction        which way it travels
 * @param roomId           the open room it belongs to
 * @param memberId         the member
 * @param externalUserId   the external user
 * @param text             text to deliver
 * @param attachments      what is delivered
 * @param groupContentType set for WORKS group content
 * @param stripped         what the restriction removed (empty unless STRIP applied)
 * @param senderNotice     for STRIP: what to tell the sender; null otherwise
 * @param settingsVersion  settings version the decision used
 * @param timestamp        the source event's timestamp
 */
public record Delivery(
        int schemaVersion,
        String deliveryId,
        String eventId,
        String tenant,
        Connector connector,
        Direction direction,
        String roomId,
        String memberId,
        String externalUserId,
        String text,
        List<Attachment> attachments,
        GroupContentType groupContentType,
        List<Attachment> stripped,
        String senderNotice,
        long settingsVersion,
        long timestamp) {

    public static final int SCHEMA_VERSION = 1;

    public Delivery {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("deliveryId", deliveryId);
        Ids.require("eventId", eventId);
        Ids.require("tenant", tenant);
        Ids.require("roomId", roomId);
        if (connector == null || direction == null) {
            throw new IllegalArgumentException("connector and direction are required");
        }
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        stripped = stripped == null ? List.of() : List.copyOf(stripped);
    }
}
