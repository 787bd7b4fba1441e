package io.connectorgateway.policy;

import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.ConnectedMember;

/** What the policy processor emits; the topology routes each kind to its topic. */
public sealed interface PolicyOutput {
    record ToDeliveries(Delivery value) implements PolicyOutput {
    }

    record ToRooms(RoomCommand value) implements PolicyOutput {
    }

    record ToGreetings(GreetingCommand value) implements PolicyOutput {
    }

    record ToAudit(AuditRecord value) implements PolicyOutput {
    }

    record ToHistory(HistoryEntry value) implements PolicyOutput {
    }

    record ToMembers(ConnectedMember value) implements PolicyOutput {
    }

    record ToCheckpoints(AuditCheckpoint value) implements PolicyOutput {
    }
}
