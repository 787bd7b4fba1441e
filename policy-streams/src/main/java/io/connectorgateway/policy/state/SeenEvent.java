package io.connectorgateway.policy.state;

import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.event.EventType;

/**
 * What the processor remembers of an event it has decided: enough to absorb a redelivery and to
 * rewrite a message's history entry when its sender unsends it. Never the content.
 *
 * @param pairKey   the conversation
 * @param type      event type
 * @param direction direction
 * @param roomId    room the event was decided in, if any
 * @param decision  what was decided
 * @param timestamp the event's timestamp
 */
public record SeenEvent(String pairKey, EventType type, Direction direction, String roomId, AuditKind decision,
                        long timestamp) {
}
