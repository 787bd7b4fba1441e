package io.connectorgateway.greeting.line;

import java.util.List;

/**
 * The body of {@code POST /v2/bot/message/push}: whom to send to and up to
 * {@value #MAX_MESSAGES} message objects (only text messages are sent here).
 *
 * @param to       the LINE user id
 * @param messages the messages, in order
 */
public record PushRequest(String to, List<TextMessage> messages) {
    /** LINE accepts at most five message objects per push. */
    public static final int MAX_MESSAGES = 5;

    public PushRequest {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("push 'to' is required");
        }
        if (messages == null || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
            throw new IllegalArgumentException("a push carries 1 to " + MAX_MESSAGES + " messages");
        }
        messages = List.copyOf(messages);
    }

    /**
     * A LINE text message object.
     *
     * @param type always {@code text}
     * @param text the text, 1 to {@value #MAX_TEXT} characters
     */
    public record TextMessage(String type, String text) {
        /** LINE's limit for one text message, in characters. */
        public static final int MAX_TEXT = 5_000;

        public TextMessage {
            if (!"text".equals(type)) {
                throw new IllegalArgumentException("only text messages are supported, got type " + type);
            }
            if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
                throw new IllegalArgumentException("a text message has 1 to " + MAX_TEXT + " characters");
            }
        }

        public static TextMessage of(String text) {
            return new TextMessage("text", text);
        }
    }
}
