package io.connectorgateway.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.webhook.line.LineTranslator;
import io.connectorgateway.gateway.webhook.works.WorksTranslator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Translation edge cases that need no server or broker. */
class TranslatorTest {
    private static final LineChannel CHANNEL = new LineChannel("c", "Udest", "acme", "alice", "tok1",
            Secrets.of(List.of("s"), "test"));
    private static final WorksBot BOT = new WorksBot("b", "2000001", "acme", "bob", Secrets.of(List.of("s"), "test"));

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private static ConnectorEvent produced(Outcome o) {
        return assertInstanceOf(Outcome.Produce.class, o).event();
    }

    @Test
    void aLineEventWithoutWebhookEventIdGetsAStableContentDerivedId() throws Exception {
        String a = "{\"destination\":\"Udest\",\"events\":[{\"type\":\"follow\",\"timestamp\":1700000000000,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"U1\"},\"replyToken\":\"r\"}]}";
        String reordered = "{\"destination\":\"Udest\",\"events\":[{\"source\":{\"userId\":\"U1\",\"type\":\"user\"},"
                + "\"replyToken\":\"r\",\"timestamp\":1700000000000,\"type\":\"follow\"}]}";
        String other = a.replace("1700000000000", "1700000000001");
        String id = produced(LineTranslator.translate(CHANNEL, json(a)).get(0)).eventId();
        assertTrue(id.startsWith("lh-"), id);
        assertEquals(id, produced(LineTranslator.translate(CHANNEL, json(reordered)).get(0)).eventId());
        assertNotEquals(id, produced(LineTranslator.translate(CHANNEL, json(other)).get(0)).eventId());
    }

    @Test
    void aFollowNamesTheRegisteredChannelItCameThroughAndAConfiguredEntryNone() throws Exception {
        String follow = "{\"destination\":\"Udest\",\"events\":[{\"type\":\"follow\",\"timestamp\":1700000000000,"
                + "\"webhookEventId\":\"01F\",\"source\":{\"type\":\"user\",\"userId\":\"U1\"}}]}";
        LineChannel registered = new LineChannel("1650000001", "Udest", "acme", "alice", "tok1",
                Secrets.of(List.of("s"), "test"), "1650000001");
        assertEquals("1650000001", produced(LineTranslator.translate(registered, json(follow)).get(0)).channelId(),
                "the greeting goes out through the channel the user followed");
        assertNull(produced(LineTranslator.translate(CHANNEL, json(follow)).get(0)).channelId(),
                "a configured entry is not in the registry: the bot uses the member's current channel");
    }

    @Test
    void numericLineIdsAreAcceptedAsTheyAreStrings() throws Exception {
        String s = "{\"destination\":\"Udest\",\"events\":[{\"type\":\"message\",\"timestamp\":1700000000000,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"U1\"},\"message\":{\"id\":325708,\"type\":\"sticker\","
                + "\"packageId\":1,\"stickerId\":2}}]}";
        ConnectorEvent e = produced(LineTranslator.translate(CHANNEL, json(s)).get(0));
        assertEquals("lm-325708", e.eventId());
        assertEquals("1/2", e.attachments().get(0).contentRef());
    }

    @Test
    void anIdTheContractCannotCarryIsDeadLetteredWithTheReason() throws Exception {
        String s = "{\"destination\":\"Udest\",\"events\":[{\"type\":\"unfollow\",\"timestamp\":1700000000000,"
                + "\"source\":{\"type\":\"user\",\"userId\":\"U:1\"},\"webhookEventId\":\"01A\"}, 42]}";
        List<Outcome> outcomes = LineTranslator.translate(CHANNEL, json(s));
        Outcome.DeadLetter colon = assertInstanceOf(Outcome.DeadLetter.class, outcomes.get(0));
        assertTrue(colon.error().getMessage().contains("externalUserId"), colon.error().getMessage());
        assertEquals("unfollow", colon.kind());
        assertInstanceOf(Outcome.DeadLetter.class, outcomes.get(1));
    }

    @Test
    void aWorksCallbackWithABadTimeIsDeadLettered() throws Exception {
        String s = "{\"type\":\"message\",\"source\":{\"userId\":\"u1\",\"domainId\":1},\"issuedTime\":\"yesterday\","
                + "\"content\":{\"type\":\"text\",\"text\":\"hi\"}}";
        Outcome.DeadLetter d = assertInstanceOf(Outcome.DeadLetter.class, WorksTranslator.translate(BOT, json(s)).get(0));
        assertTrue(d.error().getMessage().contains("issuedTime"), d.error().getMessage());
    }

    @Test
    void worksIdsDependOnTheBot() throws Exception {
        String s = "{\"type\":\"message\",\"source\":{\"userId\":\"u1\",\"domainId\":1},\"issuedTime\":\"2022-01-04T05:16:05.716Z\","
                + "\"content\":{\"type\":\"text\",\"text\":\"hi\"}}";
        WorksBot other = new WorksBot("o", "2000002", "acme", "bob", Secrets.of(List.of("s"), "test"));
        assertNotEquals(produced(WorksTranslator.translate(BOT, json(s)).get(0)).eventId(),
                produced(WorksTranslator.translate(other, json(s)).get(0)).eventId());
    }
}
