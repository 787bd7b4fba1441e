package io.connectorgateway.contracts.command;

import io.connectorgateway.contracts.Ids;

/**
 * A greeting to send, on {@code connector.greetings} (key: room id), written once per accepted
 * LINE friend-add (SPEC R7). The text is the greeting as it was when the friend-add was accepted.
 *
 * @param schemaVersion   record schema version
 * @param commandId       stable id; the bot derives the LINE {@code X-Line-Retry-Key} from it
 * @param tenant          tenant
 * @param roomId          the room opened by the friend-add
 * @param memberId        the member the LINE user added
 * @param lineUserId      the LINE user to greet (push {@code to})
 * @param text            greeting text, placeholders not yet filled
 * @param salesInfo       sales information, may be null
 * @param settingsVersion settings version the greeting came from
 * @param friendAddEventId the accepted friend-add
 * @param timestamp       epoch milliseconds of the friend-add
 * @param channelId       the registered LINE channel the user followed (from the FRIEND_ADD): the greeting is
 *                        pushed through this channel with its own access token. Optional: commands of earlier
 *                        releases, and friend-adds the platform published, have none; the bot then uses the
 *                        member's current registered LINE channel
 */
public record GreetingCommand(
        int schemaVersion,
        String commandId,
        String tenant,
        String roomId,
        String memberId,
        String lineUserId,
        String text,
        String salesInfo,
        long settingsVersion,
        String friendAddEventId,
        long timestamp,
        String channelId) {

    public static final int SCHEMA_VERSION = 1;

    public GreetingCommand {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        Ids.require("commandId", commandId);
        Ids.require("tenant", tenant);
        Ids.require("roomId", roomId);
        Ids.require("memberId", memberId);
        Ids.require("lineUserId", lineUserId);
        Ids.require("friendAddEventId", friendAddEventId);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("greeting text is required");
        }
        Ids.optional("channelId", channelId);
    }

    /** A command without the followed channel (the shape of earlier releases). */
    public GreetingCommand(int schemaVersion, String commandId, String tenant, String roomId, String memberId,
                           String lineUserId, String text, String salesInfo, long settingsVersion, String friendAddEventId,
                           long timestamp) {
        this(schemaVersion, commandId, tenant, roomId, memberId, lineUserId, text, salesInfo, settingsVersion,
                friendAddEventId, timestamp, null);
    }
}
