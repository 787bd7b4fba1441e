package io.connectorgateway.greeting.line;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The {@code X-Line-Retry-Key} of a greeting command.
 *
 * <p>LINE executes a push with a given retry key at most once and answers later requests with
 * the same key {@code 409}. Deriving the key from the command id (instead of generating a random
 * one per attempt or per process) is what makes every attempt of one command, including those
 * made by another instance after a crash, the same request in LINE's eyes.
 */
public final class RetryKey {
    private RetryKey() {
    }

    /** A name-based (version 3) UUID of the command id, in LINE's hexadecimal UUID form. */
    public static String forCommand(String commandId) {
        if (commandId == null || commandId.isBlank()) {
            throw new IllegalArgumentException("commandId is required for a retry key");
        }
        return UUID.nameUUIDFromBytes(("connector-gateway/greeting/" + commandId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
