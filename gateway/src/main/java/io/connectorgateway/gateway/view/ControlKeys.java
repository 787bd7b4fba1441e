package io.connectorgateway.gateway.view;

import io.connectorgateway.contracts.Connector;

/**
 * Keys of the {@code gateway-control} store (values are the records' JSON as on their topics):
 *
 * <pre>
 *   s|tenant|connector            -> settings row
 *   m|tenant|connector|member     -> connected-member row (granted or removed)
 *   d|tenant|member               -> latest directory event type (JOINED / LEFT)
 *   r|tenant|connector|room       -> the OPENED room command, deleted when DROPPED or CLOSED
 *   c|tenant|connector|member     -> channel binding (connector.channels; secrets sealed)
 *   w|tenant|connector|channelId  -> member whose binding holds that channel (current or previous)
 *   u|tenant|connector|token      -> member who has or had that friend-add URL token
 * </pre>
 *
 * Ids never contain {@code '|'}, so a prefix names exactly one tenant (x connector).
 */
public final class ControlKeys {
    private ControlKeys() {
    }

    public static String settings(String tenant, Connector connector) {
        return "s|" + tenant + '|' + connector;
    }

    public static String member(String tenant, Connector connector, String memberId) {
        return members(tenant, connector) + memberId;
    }

    /** Prefix of the connector's member rows. */
    public static String members(String tenant, Connector connector) {
        return "m|" + tenant + '|' + connector + '|';
    }

    public static String directory(String tenant, String memberId) {
        return directories(tenant) + memberId;
    }

    /** Prefix of the tenant's directory entries. */
    public static String directories(String tenant) {
        return "d|" + tenant + '|';
    }

    public static String room(String tenant, Connector connector, String roomId) {
        return rooms(tenant, connector) + roomId;
    }

    /** Prefix of the connector's open rooms. */
    public static String rooms(String tenant, Connector connector) {
        return "r|" + tenant + '|' + connector + '|';
    }

    /** A member's channel binding ({@code connector.channels} record). */
    public static String channel(String tenant, Connector connector, String memberId) {
        return channels(tenant, connector) + memberId;
    }

    /** Prefix of the connector's channel bindings. */
    public static String channels(String tenant, Connector connector) {
        return "c|" + tenant + '|' + connector + '|';
    }

    /**
     * The webhook index: a LINE channel id / WORKS bot id (current or previous) of the tenant to
     * the member whose binding holds it. Kept in the tenant's own partition: a webhook names its
     * tenant and is answered by the tenant's owner (gateway README, "Registry").
     */
    public static String channelIndex(String tenant, Connector connector, String channelId) {
        return "w|" + tenant + '|' + connector + '|' + channelId;
    }

    /**
     * A friend-add URL token the member has had on the connector (current or reset since) to the
     * member: a visit through a stale URL is answered "no longer valid" and audited with the member.
     * Never deleted (one small key per reset).
     */
    public static String friendToken(String tenant, Connector connector, String token) {
        return "u|" + tenant + '|' + connector + '|' + token;
    }

    /** Key of the next offset to apply from a topic partition (in the store that topic feeds). */
    public static String applied(String topic, int partition) {
        return "o|" + topic + '|' + partition;
    }

    /** The tenant of a data key, or null for an applied-offset key. */
    public static String tenantOf(String key) {
        if (key.startsWith("o|")) {
            return null;
        }
        int end = key.indexOf('|', 2);
        return key.substring(2, end < 0 ? key.length() : end);
    }
}
