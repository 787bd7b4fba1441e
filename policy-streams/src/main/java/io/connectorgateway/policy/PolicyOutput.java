package io.connectorgateway.policy;

import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.settings.ConnectedMember;

/**
 * What the policy processor emits; the topology routes each kind to its topic, on the partition of
 * {@link #tenant()}. A null {@link #value()} is a tombstone (it still names its tenant, whose
 * partition holds the key it deletes).
 */
public sealed interface PolicyOutput {
    /** The record's value; null for a tombstone. */
    Object value();

    /** The tenant whose partition the record goes to. */
    String tenant();

    record ToDeliveries(Delivery value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }

    record ToRooms(RoomCommand value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }

    record ToGreetings(GreetingCommand value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }

    record ToAudit(AuditRecord value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }

    /** A history entry, or (value null) a tombstone for a key of {@code tenant}. */
    record ToHistory(HistoryEntry value, String tenant) implements PolicyOutput {
        public ToHistory(HistoryEntry value) {
            this(value, value.tenant());
        }
    }

    /**
     * A message's content key, or (value null) its tombstone. {@code partition} is set only for the
     * roll marker of {@code PolicyProcessor}, a tombstone that names no tenant.
     */
    record ToContentKeys(ContentKey value, String tenant, Integer partition) implements PolicyOutput {
        public ToContentKeys(ContentKey value) {
            this(value, value.tenant(), null);
        }

        /** The tombstone of {@code tenant}'s key. */
        public static ToContentKeys tombstone(String tenant) {
            return new ToContentKeys(null, tenant, null);
        }
    }

    /** The partition the record must go to when it names no tenant; null: its tenant's. */
    default Integer partition() {
        return null;
    }

    record ToMembers(ConnectedMember value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }

    record ToCheckpoints(AuditCheckpoint value) implements PolicyOutput {
        @Override
        public String tenant() {
            return value.tenant();
        }
    }
}
