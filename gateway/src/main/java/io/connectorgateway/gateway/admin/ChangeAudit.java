package io.connectorgateway.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.json.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit records of admin changes (SPEC R10): one per settings row written, one per members
 * call. {@code auditId} is derived from the change id, so a retried write cannot produce a
 * second, different record for the same change.
 */
final class ChangeAudit {
    private ChangeAudit() {
    }

    static String newChangeId() {
        return "chg-" + UUID.randomUUID();
    }

    static AuditRecord settingsChanged(String changeId, String tenant, Connector connector, long newVersion, Change change,
                                       Object before, Object after, Map<String, String> detail) {
        return record(changeId, AuditKind.SETTINGS_CHANGED, tenant, connector, newVersion, change, null, before, after, detail);
    }

    static AuditRecord membersChanged(String changeId, String tenant, Connector connector, long settingsVersion,
                                      Change change, List<String> memberIds, Object before, Object after,
                                      Map<String, String> detail) {
        String single = memberIds.size() == 1 ? memberIds.get(0) : null;
        return record(changeId, AuditKind.MEMBERS_CHANGED, tenant, connector, settingsVersion, change, single, before, after,
                detail);
    }

    static AuditRecord channelChanged(String changeId, String tenant, Connector connector, long settingsVersion, Change change,
                                      String memberId, Object before, Object after, Map<String, String> detail) {
        return record(changeId, AuditKind.CHANNEL_CHANGED, tenant, connector, settingsVersion, change, memberId, before, after,
                detail);
    }

    private static AuditRecord record(String changeId, AuditKind kind, String tenant, Connector connector, long version,
                                      Change change, String memberId, Object before, Object after,
                                      Map<String, String> detail) {
        Actor actor = change.actor();
        return AuditRecord.builder(kind.name().toLowerCase().replace('_', '-') + ":" + changeId + ":" + connector, tenant, kind, "R10")
                .connector(connector).reason(change.reason()).settingsVersion(version).at(change.at()).cause(changeId)
                .member(memberId).actor(actor).change(tree(before), tree(after)).detail(detail)
                .build();
    }

    private static JsonNode tree(Object value) {
        return value == null ? null : Json.mapper().valueToTree(value);
    }
}
