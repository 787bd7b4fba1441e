package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.settings.ConnectedMember;

/**
 * A connected member as the admin API shows it: the row plus the member's current friend-add
 * URL (also for a member who is not on the list but has a URL: ALL_MEMBERS) ({@code <gateway.admin.friend-url-base>/friend/<token>}, LINE only: on WORKS the member
 * adds the contact, there is no URL to share).
 */
public record MemberView(String memberId, boolean granted, long version, String urlToken, String friendUrl,
                         ConnectedMember.Source source, Change change) {

    static MemberView of(ConnectedMember m, String friendUrlBase) {
        String url = m.urlToken() != null && m.connector() == Connector.LINE ? friendUrlBase + "/friend/" + m.urlToken() : null;
        return new MemberView(m.memberId(), m.granted(), m.version(), m.urlToken(), url, m.source(), m.change());
    }
}
