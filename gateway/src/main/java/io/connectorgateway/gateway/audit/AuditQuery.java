package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import java.util.Arrays;

/**
 * A search or tail filter: the tenant plus any of room, member, external user, kind, connector
 * and a time range (epoch ms, both ends inclusive). A member matches a record about that member,
 * including a bulk members change that lists them.
 */
public record AuditQuery(String tenant, String room, String member, String externalUser, AuditKind kind,
                         Connector connector, Long from, Long to) {

    public boolean matches(AuditRecord r) {
        return r.tenant().equals(tenant)
                && (room == null || room.equals(r.roomId()))
                && (member == null || member.equals(r.memberId()) || listsMember(r))
                && (externalUser == null || externalUser.equals(r.externalUserId()))
                && (kind == null || kind == r.kind())
                && (connector == null || connector == r.connector())
                && (from == null || r.timestamp() >= from)
                && (to == null || r.timestamp() <= to);
    }

    private boolean listsMember(AuditRecord r) {
        String listed = r.detail().get("members");
        return listed != null && Arrays.asList(listed.split(",")).contains(member);
    }
}
