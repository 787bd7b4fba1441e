package io.connectorgateway.policy.input;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;

/**
 * Everything the policy processor reads, as one type, so that one processor sees events and the
 * admin's changes in one stream-time ordered sequence per partition.
 *
 * <p>Events stay in their own (co-partitioned) topics; only the three control inputs travel
 * through the broadcast topic, which is why only they have a wire format ({@link ControlInputSerde}).
 */
public sealed interface PolicyInput {

    /** A LINE or WORKS event, straight from its topic (key: pair key). */
    record Event(ConnectorEvent event) implements PolicyInput {
    }

    /** A settings row (key: tenant:connector), broadcast to every partition. */
    record Settings(TenantSettings settings) implements PolicyInput {
    }

    /** A connected-member row (key: tenant:connector:member), broadcast to every partition. */
    record Member(ConnectedMember member) implements PolicyInput {
    }

    /** A directory change (key: tenant:member), broadcast to every partition. */
    record Directory(DirectoryEvent event) implements PolicyInput {
    }

    /**
     * A member joined (key: tenant:member), sent to ONE partition only: the auto-grant (R9) it may
     * cause is a write to {@code connector.members} that must happen once, not once per partition.
     */
    record Joined(DirectoryEvent event) implements PolicyInput {
    }
}
