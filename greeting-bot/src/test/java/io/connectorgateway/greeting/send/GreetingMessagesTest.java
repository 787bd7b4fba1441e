package io.connectorgateway.greeting.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.greeting.line.PushRequest.TextMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreetingMessagesTest {

    @Test
    void fillsBothPlaceholdersEverywhereAndSendsSalesInformationAsItsOwnMessage() {
        List<TextMessage> messages = GreetingMessages.compose("Hi {userName}! {memberName} here. Bye {userName}.",
                "Ask {memberName} about the sale", "Aiko", "Taro");
        assertEquals(List.of("Hi Taro! Aiko here. Bye Taro.", "Ask Aiko about the sale"),
                messages.stream().map(TextMessage::text).toList());
    }

    @Test
    void blankSalesInformationAddsNoMessage() {
        assertEquals(1, GreetingMessages.compose("Hello", "  ", "m", "u").size());
        assertEquals(1, GreetingMessages.compose("Hello", null, "m", "u").size());
    }

    @Test
    void splitsLongTextAtLinesLimitWithoutBreakingASurrogatePair() {
        String text = "a".repeat(TextMessage.MAX_TEXT - 1) + "\uD83D\uDE00" + "b".repeat(10);
        List<TextMessage> messages = GreetingMessages.compose(text, null, "m", "u");
        assertEquals(2, messages.size());
        assertEquals(TextMessage.MAX_TEXT - 1, messages.get(0).text().length());
        assertTrue(messages.get(1).text().startsWith("\uD83D\uDE00"));
        assertEquals(text, messages.get(0).text() + messages.get(1).text());
    }

    @Test
    void refusesAGreetingThatNeedsMoreThanFiveMessages() {
        String huge = "x".repeat(TextMessage.MAX_TEXT * 5 + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreetingMessages.compose(huge, null, "m", "u"));
        assertTrue(e.getMessage().contains("at most 5"), e.getMessage());
    }

    @Test
    void asksForTheUserNameOnlyWhenAPlaceholderNeedsIt() {
        assertTrue(GreetingMessages.needsUserName("Hi {userName}", null));
        assertTrue(GreetingMessages.needsUserName("Hi", "for {userName}"));
        assertFalse(GreetingMessages.needsUserName("Hi {memberName}", "sale"));
    }
}
