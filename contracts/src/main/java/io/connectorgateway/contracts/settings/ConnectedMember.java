package io.connectorgateway.contracts.settings;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;

/**
 * One row of {@code connector.members} (compacted, key {@code tenant:connector:member}): a
 * member on a connector's connected-members list and the member's current friend-add URL token.
 *
 * <p>Removal is an explicit row with {@code granted=false} rather than a tombstone, so the stream
 * and the audit know who removed the member and why.
 *
 * @param schemaVersion record schema version
 * @param tenant        the tenant
 * @param connector     LINE or WORKS
 * @param memberId      the member
 * @param granted       on the list (true) or removed (false)
 * @param urlToken      the current friend-add URL token; a friend-add through any other token is refused (R5)
 * @param version       1, 2, 3, ... per key
 * @param source        ADMIN (settings producer) or AUTO_GRANT (stream, R9)
 * @param change        who made this version and why
 */
public record ConnectedMember(
        int schemaVersion,
        String tenant,
        Connector connector,
        String memberId,
        boolean granted,
        String urlToken,
        long version,
        Source source,
        Change change) {

    public static final int SCHEMA_VERSION = 1;

    public enum Source { ADMIN, AUTO_GRANT }

    public ConnectedMember {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (schemaVersion < 0 || schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported connected-member schemaVersion " + schemaVersion);
        }
        Ids.require("tenant", tenant);
        Ids.require("memberId", memberId);
        if (connector == null) {
            throw new IllegalArgumentException("connector is required (LINE or WORKS)");
        }
        if (granted) {
            Ids.require("urlToken", urlToken);
        } else {
            Ids.optional("urlToken", urlToken);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if (source == null) {
            source = Source.ADMIN;
        }
        if (change == null) {
            throw new IllegalArgumentException("change is required: who granted or removed the member, and why");
        }
    }

    public String key() {
        return Ids.memberKey(tenant, connector, memberId);
    }
}
