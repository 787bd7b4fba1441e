package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.settings.ConnectedMember;

/**
 * A connected member as the admin API shows it: the row plus the member's current friend-add URL
 * {@code <gateway.admin.friend-url-base>/friend/<tenant>/<token>} and its QR code image
 * ({@code .../qr.png}), both served by the gateway; also for a member who is not on the list but
 * has a URL (ALL_MEMBERS). LINE only: on WORKS the member adds the contact, there is no URL to share.
 */
public record MemberView(String memberId, boolean granted, long version, String urlToken, String friendUrl, String qrUrl,
                         ConnectedMember.Source source, Change change) {

    static MemberView of(ConnectedMember m, String friendUrlBase) {
        String url = m.urlToken() != null && m.connector() == Connector.LINE ? friendUrl(friendUrlBase, m.tenant(), m.urlToken()) : null;
        return new MemberView(m.memberId(), m.granted(), m.version(), m.urlToken(), url, url == null ? null : url + "/qr.png",
                m.source(), m.change());
    }

    public static String friendUrl(String friendUrlBase, String tenant, String token) {
        return friendUrlBase + "/friend/" + tenant + "/" + token;
    }
}
