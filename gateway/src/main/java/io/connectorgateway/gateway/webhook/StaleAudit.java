package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventFreshness;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit record of a webhook event refused as stale, for {@code connector.audit.intake} (keyed
 * by tenant; the policy task of the tenant's partition links it into the tenant's chain). It names
 * the event and why, never its content.
 */
final class StaleAudit {
    private StaleAudit() {
    }

    static AuditRecord of(ConnectorEvent e, EventFreshness.Stale stale, long receivedAt, String origin) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("eventType", e.type().name());
        detail.put("staleness", stale.why().tag());
        detail.put("receivedAt", Long.toString(receivedAt));
        detail.put("origin", origin);
        detail.put("redelivery", Boolean.toString(e.redelivery()));
        return AuditRecord.builder(AuditKind.STALE + ":" + e.eventId() + "@gateway:" + receivedAt, e.tenant(), AuditKind.STALE,
                        EventFreshness.RULE)
                .connector(e.connector()).reason("refused at the webhook: " + stale.message())
                .at(e.timestamp()).cause(e.eventId()).member(e.memberId()).externalUser(e.externalUserId()).direction(e.direction())
                .actor(new Actor(e.externalUserId(), Actor.Role.EXTERNAL_USER))
                .attachmentKinds(e.attachments().stream().map(a -> a.kind().name()).toList()).detail(detail)
                .build();
    }
}
