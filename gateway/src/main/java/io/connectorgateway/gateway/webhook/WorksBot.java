package io.connectorgateway.gateway.webhook;

import io.connectorgateway.contracts.Ids;

/**
 * A LINE WORKS bot a member is reached through by users of other companies' WORKS tenants.
 *
 * @param name     the registry entry name
 * @param botId    the bot id LINE WORKS sends in {@code X-WORKS-BotId}
 * @param tenant   the member's tenant
 * @param memberId the member
 * @param secrets  the bot secret(s)
 */
public record WorksBot(String name, String botId, String tenant, String memberId, Secrets secrets) implements Sender {
    public WorksBot {
        String where = "gateway.works.bots." + name;
        LineChannel.require(where + ".bot-id", botId);
        try {
            Ids.require("tenant", tenant);
            Ids.require("member", memberId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (secrets == null) {
            throw new IllegalArgumentException(where + ".secrets is required");
        }
    }
}
