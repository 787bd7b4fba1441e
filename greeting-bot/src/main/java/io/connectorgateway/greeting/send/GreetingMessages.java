package io.connectorgateway.greeting.send;

import io.connectorgateway.greeting.line.PushRequest;
import io.connectorgateway.greeting.line.PushRequest.TextMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a greeting (text with placeholders, optional sales information) into LINE text
 * messages: the greeting first, the sales information as its own message, each split at LINE's
 * {@value TextMessage#MAX_TEXT}-character limit; at most {@value PushRequest#MAX_MESSAGES}
 * messages in all, or the greeting is refused as too long (a permanent failure, not retried).
 */
public final class GreetingMessages {
    public static final String MEMBER_NAME = "{memberName}";
    public static final String USER_NAME = "{userName}";

    private GreetingMessages() {
    }

    public static boolean needsUserName(String text, String salesInfo) {
        return text.contains(USER_NAME) || (salesInfo != null && salesInfo.contains(USER_NAME));
    }

    /** Fills both placeholders (literally, no other template syntax exists). */
    public static String fill(String template, String memberName, String userName) {
        return template.replace(MEMBER_NAME, memberName).replace(USER_NAME, userName);
    }

    public static List<TextMessage> compose(String text, String salesInfo, String memberName, String userName) {
        List<TextMessage> messages = new ArrayList<>();
        addSplit(messages, fill(text, memberName, userName));
        if (salesInfo != null && !salesInfo.isBlank()) {
            addSplit(messages, fill(salesInfo, memberName, userName));
        }
        if (messages.size() > PushRequest.MAX_MESSAGES) {
            throw new IllegalArgumentException("greeting needs " + messages.size() + " LINE messages, at most "
                    + PushRequest.MAX_MESSAGES + " fit in one push");
        }
        return messages;
    }

    private static void addSplit(List<TextMessage> into, String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length()) {
            int end = Math.min(t.length(), i + TextMessage.MAX_TEXT);
            // Never cut a surrogate pair (emoji) in half.
            if (end < t.length() && Character.isHighSurrogate(t.charAt(end - 1))) {
                end--;
            }
            into.add(TextMessage.of(t.substring(i, end)));
            i = end;
        }
    }
}
