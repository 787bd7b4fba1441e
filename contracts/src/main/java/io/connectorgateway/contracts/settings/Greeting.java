package io.connectorgateway.contracts.settings;

/**
 * The automatic greeting sent to a LINE user after an accepted friend-add (SPEC R7).
 *
 * @param enabled   whether it is sent
 * @param text      the greeting; may contain {@code {memberName}} and {@code {userName}} placeholders
 * @param salesInfo optional sales information sent with it
 */
public record Greeting(boolean enabled, String text, String salesInfo) {
    /** LINE's limit for one text message. */
    public static final int MAX_TEXT = 5_000;

    public static Greeting off() {
        return new Greeting(false, null, null);
    }
}
