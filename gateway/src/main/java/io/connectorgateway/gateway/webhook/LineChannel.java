package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.Ids;

/**
 * A LINE Messaging API channel a member is reached through.
 *
 * @param name        the registry entry name; the channel's webhook URL is {@code /webhooks/line/<name>}
 * @param destination the channel bot's user id, which LINE puts in {@code destination}
 * @param tenant      the member's tenant
 * @param memberId    the member LINE users talk to through this channel
 * @param urlToken    the friend-add URL token this channel is reached through; a follow on this
 *                    channel is a FRIEND_ADD through this token (see the module README)
 * @param secrets     the channel secret(s)
 * @param registeredChannelId the LINE channel id when the channel is registered as data ({@code connector.channels}),
 *                    null for a configured entry: a follow carries it, so the greeting goes out through the
 *                    channel the user followed (greeting-bot README)
 */
public record LineChannel(String name, String destination, String tenant, String memberId, String urlToken, Secrets secrets,
                          String registeredChannelId)
        implements Sender {
    /** A configured channel (bootstrap path): not in the registry. */
    public LineChannel(String name, String destination, String tenant, String memberId, String urlToken, Secrets secrets) {
        this(name, destination, tenant, memberId, urlToken, secrets, null);
    }

    public LineChannel {
        String where = "gateway.line.channels." + name;
        require(where + ".destination", destination);
        try {
            Ids.require("tenant", tenant);
            Ids.require("member", memberId);
            Ids.require("url-token", urlToken);
            Ids.optional("channel id", registeredChannelId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (secrets == null) {
            throw new IllegalArgumentException(where + ".secrets is required");
        }
    }

    static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
