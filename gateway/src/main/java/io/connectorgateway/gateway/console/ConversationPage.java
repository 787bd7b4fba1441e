package io.connectorgateway.gateway.console;

import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.gateway.audit.AuditIndex;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * One room's conversation in chat form, oldest at the top as a chat reads: the messages (the member
 * on the right, the external user on the left) and, between them, what happened to the room
 * (opened, deleted, closed) and to its messages (unsent, refused). Built from one page of the audit
 * search for the room, which the trail keeps after the room was deleted.
 *
 * @param room        the room id
 * @param entries     this page's entries, oldest first
 * @param earlierUrl  the page of older entries (the search's cursor), null when this page reaches the room's start
 * @param dropped     why the room was deleted (a ROOM_DROPPED entry on this page), null when it was not
 */
public record ConversationPage(Chrome c, String room, List<Entry> entries, @Nullable String earlierUrl,
                               @Nullable String connector, @Nullable String member, @Nullable String externalUser,
                               @Nullable String dropped) {

    /**
     * A message bubble ({@code message} set) or a note about the room.
     *
     * @param mine    sent by the tenant's member (shown on the right)
     */
    public record Entry(AuditRecord record, @Nullable AuditPage.Message message, boolean mine) {
        public String time() {
            return AuditPage.shown(record.timestamp());
        }

        public String iso() {
            return AuditPage.shownIso(record.timestamp());
        }

        public String sender() {
            return mine ? record.memberId() : record.externalUserId();
        }
    }

    /** The page for {@code hits} (newest first, as the search answers) shown oldest first. */
    public static ConversationPage of(Chrome c, String room, List<AuditIndex.Hit> hits, @Nullable String earlierUrl) {
        List<Entry> entries = new ArrayList<>();
        String connector = null;
        String member = null;
        String user = null;
        String dropped = null;
        for (int i = hits.size() - 1; i >= 0; i--) {
            AuditRecord r = hits.get(i).record();
            AuditPage.Message m = AuditPage.message(r, hits.get(i).history());
            if (m == null && isMessage(r.kind()) && r.eventId() != null) {
                // a message whose history entry is not (yet) there: the decision and its kinds, no content
                m = AuditPage.message(r, null);
            }
            entries.add(new Entry(r, m, r.direction() == Direction.OUTBOUND));
            connector = r.connector() != null ? r.connector().name() : connector;
            member = r.memberId() != null ? r.memberId() : member;
            user = r.externalUserId() != null ? r.externalUserId() : user;
            if (r.kind() == AuditKind.ROOM_DROPPED) {
                String why = r.detail().get("dropReason");
                dropped = why != null ? c.t("dropReason." + why) : r.reason();
            }
        }
        return new ConversationPage(c, room, List.copyOf(entries), earlierUrl, connector, member, user, dropped);
    }

    static boolean isMessage(AuditKind kind) {
        return kind == AuditKind.DELIVERED || kind == AuditKind.STRIPPED || kind == AuditKind.BLOCKED;
    }

    public String auditUrl() {
        return "/console/tenants/" + c.tenant() + "/audit?room=" + room;
    }
}
