package io.connectorgateway.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.command.GreetingResult;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.contracts.json.JsonSerde;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SerdeTest {

    static Stream<Arguments> everyRecord() {
        return Stream.of(
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.lineMessage()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.friendAdd()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.worksGroupNote()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.unsend()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.unfollow()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.contactAdd()),
                Arguments.of(JsonSerde.lenient(ConnectorEvent.class), Samples.worksMessage()),
                Arguments.of(JsonSerde.lenient(DirectoryEvent.class), Samples.joined()),
                Arguments.of(JsonSerde.strict(TenantSettings.class), Samples.settings()),
                Arguments.of(JsonSerde.strict(ConnectedMember.class), Samples.member()),
                Arguments.of(JsonSerde.lenient(Delivery.class), Samples.delivery()),
                Arguments.of(JsonSerde.lenient(RoomCommand.class), Samples.roomDropped()),
                Arguments.of(JsonSerde.lenient(GreetingCommand.class), Samples.greeting()),
                Arguments.of(JsonSerde.lenient(GreetingResult.class), Samples.greetingResult()),
                Arguments.of(JsonSerde.lenient(AuditRecord.class), Samples.audit()),
                Arguments.of(JsonSerde.lenient(HistoryEntry.class), Samples.history()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyRecord")
    <T> void everyRecordRoundTripsAndCarriesItsSchemaVersion(JsonSerde<T> serde, T value) {
        byte[] bytes = serde.serialize("t", value);
        T back = serde.deserialize("t", bytes);
        assertEquals(value, back);
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"schemaVersion\":1"),
                "schema version is written: " + new String(bytes, StandardCharsets.UTF_8));
        assertArrayEquals(bytes, serde.serialize("t", back), "re-serialising gives the same bytes");
    }

    @Test
    void aDeadLetterRoundTripsThroughItsRecordKeepingKeyBytesAndReason() {
        byte[] key = "acme:LINE:m-1:U1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xC0, (byte) 0x80, '{'}; // not even UTF-8: kept byte for byte
        DeadLetter letter = DeadLetter.of("connector.line.events", 3, 42L, key, value,
                new IllegalArgumentException("timestamp must be a whole number"), "gateway");
        var produced = letter.toRecord("connector.dlq");
        assertEquals("connector.dlq", produced.topic());
        assertArrayEquals(key, produced.key(), "the original key, so the poison stays next to its partition's story");
        var consumed = new ConsumerRecord<>("connector.dlq", 0, 7L, produced.key(), produced.value());
        produced.headers().forEach(h -> consumed.headers().add(h));

        DeadLetter read = DeadLetter.fromRecord(consumed);
        assertEquals(DeadLetter.SCHEMA_VERSION, read.schemaVersion());
        assertEquals("connector.line.events", read.sourceTopic());
        assertEquals(3, read.partition());
        assertEquals(42L, read.offset());
        assertArrayEquals(key, read.key());
        assertArrayEquals(value, read.value());
        assertEquals(IllegalArgumentException.class.getName(), read.exceptionClass());
        assertEquals("timestamp must be a whole number", read.reason());
        assertEquals("gateway", read.service());
        assertThrows(IllegalArgumentException.class, () -> new DeadLetter(1, "t", 0, 0, key, value, null, " ", "x"),
                "a dead letter without a reason is refused");
    }

    @Test
    void nullIsATombstone() {
        var serde = JsonSerde.strict(TenantSettings.class);
        assertNull(serde.deserialize("t", null));
        assertNull(serde.serialize("t", null));
    }

    private static final JsonSerde<ConnectorEvent> EVENTS = JsonSerde.lenient(ConnectorEvent.class);
    private static final JsonSerde<TenantSettings> SETTINGS = JsonSerde.strict(TenantSettings.class);

    private static String eventJson(String type, String extra) {
        return "{\"eventId\":\"e1\",\"tenant\":\"acme\",\"connector\":\"LINE\",\"direction\":\"INBOUND\",\"type\":\"" + type
                + "\",\"memberId\":\"m1\",\"externalUserId\":\"U1\",\"timestamp\":1700000000000" + extra + "}";
    }

    private static String refuse(JsonSerde<?> serde, byte[] bytes) {
        return assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes)).getMessage();
    }

    private static String refuse(JsonSerde<?> serde, String json) {
        return refuse(serde, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFollowedChannelIsOptionalSoRecordsOfEarlierReleasesStillRead() {
        ConnectorEvent e = EVENTS.deserialize("t", eventJson("FRIEND_ADD", ",\"urlToken\":\"tok-1\"")
                .getBytes(StandardCharsets.UTF_8));
        assertNull(e.channelId(), "an event without channelId (earlier releases, the platform) reads");
        String withChannel = new String(EVENTS.serialize("t", Samples.friendAdd()), StandardCharsets.UTF_8);
        assertTrue(withChannel.contains("\"channelId\":\"1650000001\""), withChannel);

        JsonSerde<GreetingCommand> commands = JsonSerde.lenient(GreetingCommand.class);
        String json = new String(commands.serialize("t", Samples.greeting()), StandardCharsets.UTF_8);
        String older = json.replace(",\"channelId\":\"1650000001\"", "");
        assertTrue(!older.equals(json), "the sample carries the channel: " + json);
        GreetingCommand old = commands.deserialize("t", older.getBytes(StandardCharsets.UTF_8));
        assertNull(old.channelId());
        assertEquals(Samples.greeting().commandId(), old.commandId());
        assertTrue(refuse(commands, json.replace("1650000001", "a:b")).contains("channelId"), "a channel id is an id");
        assertThrows(IllegalArgumentException.class, () -> ConnectorEvent.builder().eventId("e").tenant("acme")
                .connector(Connector.WORKS).direction(Direction.INBOUND).type(EventType.MESSAGE).memberId("m")
                .externalUserId("u").timestamp(1).text("hi").channelId("1650000001").build(), "only LINE events name a channel");
    }

    @Test
    void aValidMinimalEventReads() {
        ConnectorEvent e = EVENTS.deserialize("t", eventJson("MESSAGE", ",\"text\":\"hi\",\"futureField\":1")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", e.text());
        assertEquals(ConnectorEvent.SCHEMA_VERSION, e.schemaVersion(), "a missing schemaVersion means the current one");
    }

    @Test
    void unknownEventTypeIsRefusedNamingTheValue() {
        String msg = refuse(EVENTS, eventJson("POKE", ",\"text\":\"hi\""));
        assertTrue(msg.contains("POKE") && msg.contains("ConnectorEvent"), msg);
    }

    @Test
    void eventTypeOfTheOtherConnectorIsRefused() {
        String msg = refuse(EVENTS, eventJson("CONTACT_ADD", ""));
        assertTrue(msg.contains("does not exist on the LINE connector"), msg);
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String msg = refuse(EVENTS, "{\"eventId\":\"e1\",\"tenant\":\"acme\",\"connector\":\"LINE\",\"direction\":\"INBOUND\","
                + "\"type\":\"MESSAGE\",\"externalUserId\":\"U1\",\"timestamp\":1,\"text\":\"x\"}");
        assertTrue(msg.contains("memberId is required"), msg);
    }

    @Test
    void friendAddWithoutUrlTokenIsRefused() {
        String msg = refuse(EVENTS, eventJson("FRIEND_ADD", ""));
        assertTrue(msg.contains("urlToken"), msg);
    }

    @Test
    void wrongTypesAreRefused() {
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"").replace("1700000000000", "\"1700000000000\""))
                .contains("timestamp"), "a string is not coerced into a number");
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"").replace("\"LINE\"", "0"))
                .contains("Connector"), "a number is not an enum");
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\",\"attachments\":{\"kind\":\"IMAGE\"}"))
                .contains("attachments"), "an object is not a list");
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"").replace("1700000000000", "null")).contains("timestamp"));
    }

    @Test
    void keysWithTheSeparatorAreRefused() {
        String msg = refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"").replace("\"acme\"", "\"ac:me\""));
        assertTrue(msg.contains("tenant must be"), msg);
    }

    @Test
    void oversizedDocumentIsRefusedBeforeParsing() {
        byte[] big = new byte[Json.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        String msg = refuse(EVENTS, big);
        assertTrue(msg.contains("limit is " + Json.MAX_DOCUMENT_BYTES), msg);
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "[".repeat(Json.MAX_DEPTH + 5) + "]".repeat(Json.MAX_DEPTH + 5);
        String msg = refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\",\"extra\":" + deep));
        assertTrue(msg.toLowerCase().contains("nesting depth"), msg);
    }

    @Test
    void hugeStringIsRefused() {
        String msg = refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"" + "a".repeat(Json.MAX_STRING_LENGTH + 1) + "\""));
        assertTrue(msg.toLowerCase().contains("string value length"), msg);
    }

    @Test
    void hugeNumberIsRefused() {
        String msg = refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"").replace("1700000000000", "1".repeat(200)));
        assertTrue(msg.toLowerCase().contains("number value length"), msg);
    }

    @Test
    void textOverTheEventLimitIsRefused() {
        String msg = refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"" + "a".repeat(ConnectorEvent.MAX_TEXT + 1) + "\""));
        assertTrue(msg.contains("text is longer than"), msg);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] good = eventJson("MESSAGE", ",\"text\":\"XX\"").getBytes(StandardCharsets.UTF_8);
        String s = new String(good, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("XX");
        good[at] = (byte) 0xC3;
        good[at + 1] = (byte) 0x28; // 0xC3 must be followed by a continuation byte
        String msg = refuse(EVENTS, good);
        assertTrue(msg.contains("UTF-8") || msg.contains("UTF8"), msg);
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreRefused() {
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\",\"text\":\"y\"")).contains("Duplicate field"));
        assertTrue(refuse(EVENTS, eventJson("MESSAGE", ",\"text\":\"x\"") + "{}").toLowerCase().contains("trailing"));
        assertTrue(refuse(EVENTS, "not json").length() > 0);
        assertTrue(refuse(EVENTS, "null").contains("null"));
    }

    @Test
    void polymorphicGadgetPayloadCannotChooseAClass() {
        // Classic default-typing gadget shapes: with no default typing they are just an unknown
        // field (events) or refused (settings); no class is ever loaded from the payload.
        String gadget = ",\"text\":\"x\",\"@class\":\"com.sun.rowset.JdbcRowSetImpl\","
                + "\"attachments\":[[\"org.springframework.context.support.FileSystemXmlApplicationContext\",\"http://x\"]]";
        String msg = refuse(EVENTS, eventJson("MESSAGE", gadget));
        assertTrue(msg.contains("Attachment"), msg);
    }

    @Test
    void settingsRefuseUnknownFieldsButEventsTolerateThem() {
        String settings = new String(SETTINGS.serialize("t", Samples.settings()), StandardCharsets.UTF_8);
        String typo = settings.replace("\"enabled\":true,\"permissionMode\"", "\"enabled\":true,\"enabeld\":false,\"permissionMode\"");
        String msg = refuse(SETTINGS, typo);
        assertTrue(msg.contains("enabeld"), msg);
    }
}
