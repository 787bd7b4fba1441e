package io.connectorgateway.policy.state;

import io.connectorgateway.contracts.Connector;

/**
 * An open room, stored under its pair key ({@code tenant:connector:member:externalUser}) so that a
 * settings change finds a tenant's rooms by the prefix {@code tenant:connector:} and a member
 * change by {@code tenant:connector:member:}.
 *
 * @param roomId         {@code Ids.roomId(pairKey, openedBy)}
 * @param tenant         tenant
 * @param connector      connector
 * @param memberId       member
 * @param externalUserId external user
 * @param openedBy       the friend-add / contact-add event that opened it
 * @param openedAt       that event's timestamp
 * @param settingsVersion settings version it was opened under
 */
public record OpenRoom(String roomId, String tenant, Connector connector, String memberId, String externalUserId,
                       String openedBy, long openedAt, long settingsVersion) {
}
