package io.connectorgateway.policy.input;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;

/**
 * Everything the policy processor reads, as one type, so that one processor sees a tenant's
 * events, the admins' changes and the other services' audit records in one stream-time ordered
 * sequence. Every input topic is partitioned by tenant, so all of it is on one partition number.
 */
public sealed interface PolicyInput {

    /** A LINE or WORKS event (key: pair key). */
    record Event(ConnectorEvent event) implements PolicyInput {
    }

    /** A settings row (key: tenant:connector). */
    record Settings(TenantSettings settings) implements PolicyInput {
    }

    /** A connected-member row (key: tenant:connector:member). */
    record Member(ConnectedMember member) implements PolicyInput {
    }

    /** A directory change (key: tenant:member); a JOINED may cause an auto-grant (R9). */
    record Directory(DirectoryEvent event) implements PolicyInput {
    }

    /**
     * An audit record another service (admin API, greeting bot) wrote to {@code connector.audit.intake}
     * (key: tenant): the policy task owns its tenants' chains, so it links these too.
     */
    record Intake(AuditRecord record) implements PolicyInput {
    }

    /**
     * A record of {@code connector.content.keys} (key: {@code tenant:connector:eventId}): a message's
     * content key written by whoever sealed the event (the gateway's webhooks, a platform that seals),
     * by this stream itself, or (value null) its tombstone.
     */
    record Key(String id, ContentKey key) implements PolicyInput {
    }
}
