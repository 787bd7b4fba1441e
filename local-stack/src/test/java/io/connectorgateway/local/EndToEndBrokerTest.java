package io.connectorgateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.Delivery;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The product end to end, every service in this JVM on the real broker with the LINE stand-in:
 * a signed LINE follow opens a room and gets one greeting; an image under STRIP is delivered
 * without the image; the admin disables the connector and the room is dropped; audit search still
 * shows the conversation.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EndToEndBrokerTest {
    private static final String USER = "U0123456789abcdef0123456789abcd01";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void friendAddGreetingStripDropAndSearch(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        var options = new LocalStack.Options(Files.createTempDirectory("e2e"), broker.bootstrapServers(), ns.topicPrefix(), 2,
                -1, 0, 0, 0);
        try (LocalStack stack = LocalStack.start(options)) {
            var topics = stack.kafka().topics();
            String member = DemoTenant.LINE_MEMBERS.get(0);
            stack.standIn().profile(USER, "Yamada");
            String pair = Ids.pairKey(DemoTenant.TENANT, Connector.LINE, member, USER);

            // 1. A signed LINE follow webhook: room opened, one greeting at LINE, audit records.
            String follow = LineWebhooks.follow(DemoTenant.destination(member), USER, "01E2EFOLLOW000000000000001",
                    System.currentTimeMillis());
            assertEquals(200, postLine(stack, member, follow));
            RoomCommand opened = await(topics.rooms, r -> r.action() == RoomCommand.Action.OPENED && r.externalUserId().equals(USER));
            assertEquals(Ids.roomId(pair, "01E2EFOLLOW000000000000001"), opened.roomId());
            stack.standIn().awaitCalls(1, KafkaBroker.patience());
            var greetings = stack.standIn().acceptedFor(USER);
            assertEquals(1, greetings.size(), "exactly one greeting reached LINE");
            assertTrue(greetings.get(0).texts().get(0).contains("Hello Yamada"), greetings.get(0).texts().toString());
            await(topics.audit, a -> a.kind() == AuditKind.ROOM_OPENED && opened.roomId().equals(a.roomId()));
            await(topics.audit, a -> a.kind() == AuditKind.GREETING_SENT && USER.equals(a.externalUserId()));

            // 1a. LINE sends the same webhook again (a redelivery, or a retry after a lost answer):
            //     the stream absorbs it by event id: no second room, no second greeting.
            assertEquals(200, postLine(stack, member, follow));
            await(topics.audit, a -> a.kind() == AuditKind.DUPLICATE && "01E2EFOLLOW000000000000001".equals(a.eventId()));

            // 1b. The example the banner prints, posted as printed, also gets its greeting.
            LocalStack.FollowExample example = stack.followExample();
            String banner = stack.banner(example);
            assertTrue(banner.contains(example.signature()) && banner.contains(example.body())
                    && banner.contains(stack.gatewayUrl() + example.path()), banner);
            assertEquals(200, post(stack.gatewayUrl() + example.path(), example.body(), example.signature()));
            stack.standIn().awaitCalls(2, KafkaBroker.patience());
            assertEquals(1, stack.standIn().acceptedFor(example.userId()).size(), "the banner's friend-add got one greeting");
            assertEquals(1, stack.standIn().acceptedFor(USER).size(), "the repeated webhook got no second greeting");
            assertEquals(1, count(topics.rooms, r -> r.action() == RoomCommand.Action.OPENED && r.externalUserId().equals(USER)),
                    "one room for the repeated friend-add");

            // 1b'. The admin console the banner names is served, and its sign-in token is the tenant admin's.
            assertTrue(banner.contains(stack.gatewayUrl() + "/console") && banner.contains(stack.secrets().tenantAdminToken()), banner);
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/console/sign-in")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the console's sign-in page");

            // 1c. Greetings go out through the channel the user followed, with its registered token.
            assertEquals(stack.secrets().lineAccessToken(member), stack.standIn().acceptedFor(USER).get(0).token());
            for (String m : DemoTenant.LINE_MEMBERS) {
                assertTrue(banner.contains(stack.gatewayUrl() + DemoTenant.lineWebhookPath(m))
                        && banner.contains(DemoTenant.destination(m)) && banner.contains(stack.friendUrls().get(m)),
                        "every demo channel's webhook URL, destination and friend URL: " + banner);
            }

            // 1d. reset-urls: a new friend URL at once; the example printed then (a follow through the
            //     member's channel) is a friend-add through the new URL: accepted and greeted, no restart.
            String oldUrl = stack.friendUrls().get(member);
            new AdminHttp(stack.gatewayUrl()).call(stack.secrets().tenantAdminToken(), "POST", "/tenants/" + DemoTenant.TENANT
                    + "/connectors/LINE/members:reset-urls", Map.of("members", List.of(member), "reason", "e2e reset"));
            String newUrl = stack.friendUrls().get(member);
            assertFalse(oldUrl.equals(newUrl), "a new friend URL: " + oldUrl);
            LocalStack.FollowExample afterReset = stack.followExample();
            String bannerAfter = stack.banner(afterReset);
            assertTrue(bannerAfter.contains(newUrl) && !bannerAfter.contains(oldUrl), bannerAfter);
            assertEquals(200, post(stack.gatewayUrl() + afterReset.path(), afterReset.body(), afterReset.signature()));
            await(topics.audit, a -> a.kind() == AuditKind.GREETING_SENT && afterReset.userId().equals(a.externalUserId()));
            assertEquals(1, stack.standIn().acceptedFor(afterReset.userId()).size(), "greeted after the reset");

            // 2. Under STRIP an image is removed and the rest delivered: inbound through the
            //    webhook, outbound from the platform with text and an image.
            assertEquals(200, postLine(stack, member, LineWebhooks.text(DemoTenant.destination(member), USER,
                    "01E2ETEXT0000000000000001", "5001", "Do you ship to Osaka?", System.currentTimeMillis())));
            ConnectorEvent out = ConnectorEvent.builder().eventId("e2e-out-1").tenant(DemoTenant.TENANT).connector(Connector.LINE)
                    .direction(Direction.OUTBOUND).type(EventType.MESSAGE).memberId(member).externalUserId(USER)
                    .timestamp(System.currentTimeMillis()).text("Here is our catalogue")
                    .attachments(new Attachment(AttachmentKind.IMAGE, "photo.jpg", 1000L, "img-1")).build();
            try (var producer = new KafkaProducer<>(stack.kafka().durableProducerConfig("e2e-platform"),
                    topics.lineEvents.keySerde().serializer(), topics.lineEvents.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topics.lineEvents.name(), out.pairKey(), out)).get();
            }
            Delivery onTopic = await(topics.deliveries, d -> d.eventId().equals("e2e-out-1"));
            assertEquals(null, onTopic.text(), "the delivery carries its content sealed only");
            Delivery stripped = onTopic.opened(keys(topics).get(onTopic.sealed().keyId()));
            assertEquals("Here is our catalogue", stripped.text());
            assertTrue(stripped.attachments().stream().noneMatch(a -> a.kind() == AttachmentKind.IMAGE), "image not delivered");
            assertEquals(List.of(AttachmentKind.IMAGE), stripped.stripped().stream().map(Attachment::kind).toList());
            assertTrue(stripped.senderNotice() != null && !stripped.senderNotice().isBlank(), "the sender is told");
            await(topics.deliveries, d -> d.eventId().equals("lm-5001"));

            // 3. The admin previews the switch-off, then disables the connector through the admin
            //    API: the stream drops exactly the rooms the preview named, each once.
            var admin = new AdminHttp(stack.gatewayUrl());
            String impactPath = "/tenants/" + DemoTenant.TENANT + "/connectors/LINE/impact";
            long until = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            JsonNode impact;
            do { // the gateway's view of the rooms follows connector.rooms
                impact = admin.call(stack.secrets().tenantAdminToken(), "POST", impactPath, Map.of("enabled", false));
            } while (impact.path("roomsDropped").asInt() < 3 && System.currentTimeMillis() < until && sleep());
            // USER's room, the banner example's and the example's after the reset
            assertEquals(3, impact.path("roomsDropped").asInt(), impact.toString());
            List<String> previewed = new ArrayList<>();
            impact.path("members").forEach(m -> {
                assertEquals("CONNECTOR_DISABLED", m.path("reason").asText(), m.toString());
                m.path("roomIds").forEach(r -> previewed.add(r.asText()));
            });
            DemoTenant.patchSettings(admin, stack.secrets(), Connector.LINE, Map.of("enabled", false, "reason", "e2e: switch off"));
            RoomCommand dropped = await(topics.rooms, r -> r.action() == RoomCommand.Action.DROPPED && r.roomId().equals(opened.roomId()));
            assertEquals(RoomCommand.Reason.CONNECTOR_DISABLED, dropped.reason());
            await(topics.rooms, r -> r.action() == RoomCommand.Action.DROPPED && !r.roomId().equals(opened.roomId()));
            List<String> droppedIds = read(topics.rooms, r -> r.action() == RoomCommand.Action.DROPPED, false).stream()
                    .map(RoomCommand::roomId).sorted().toList();
            assertEquals(previewed.stream().sorted().toList(), droppedIds, "the preview named exactly the rooms the stream dropped");

            // 4. Audit search still shows the conversation of the dropped room.
            long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            JsonNode items;
            do {
                items = admin.get(stack.secrets().auditorToken(), "/tenants/" + DemoTenant.TENANT + "/audit?room="
                        + opened.roomId() + "&limit=100").path("items");
            } while (!(contains(items, "ROOM_DROPPED") && hasMessage(items, "Do you ship to Osaka?"))
                    && System.currentTimeMillis() < deadline && sleep());
            assertTrue(contains(items, "ROOM_DROPPED"), "search shows the drop: " + items);
            assertTrue(hasMessage(items, "Do you ship to Osaka?"), "search shows what was said: " + items);
            assertEquals(1, count(topics.rooms, r -> r.action() == RoomCommand.Action.DROPPED && r.roomId().equals(opened.roomId())),
                    "dropped exactly once");
            assertEquals(3, count(topics.rooms, r -> r.action() == RoomCommand.Action.DROPPED), "the three open rooms dropped, no more");
        }
    }

    /**
     * Issue 14, item 6: a LINE message and a dead-lettered LINE message through the webhook, both
     * unsent, and a WORKS message through its callback: afterwards no topic of the stack (events,
     * deliveries, DLQ, history, audit, the services' changelogs) holds any of the words in clear, and
     * once the key topic's tombstones are read, no copy of the unsent messages can be opened.
     */
    @Test
    void anUnsentMessageLeavesNoReadableCopyOnAnyTopic(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        var options = new LocalStack.Options(Files.createTempDirectory("e2e-unsend"), broker.bootstrapServers(),
                ns.topicPrefix(), 2, -1, 0, 0, 0);
        try (LocalStack stack = LocalStack.start(options)) {
            var topics = stack.kafka().topics();
            String member = DemoTenant.LINE_MEMBERS.get(0);
            String dest = DemoTenant.destination(member);
            String user = "U0123456789abcdef0123456789abcd02";
            String nonce = Long.toHexString(System.nanoTime());
            String lineWords = "line words to take back " + nonce;
            String deadWords = "dead letter words to take back " + nonce;
            String worksWords = "works words kept sealed " + nonce;
            long now = System.currentTimeMillis();

            assertEquals(200, postLine(stack, member, LineWebhooks.follow(dest, user, "01UNSENDFOLLOW" + nonce, now)));
            await(topics.audit, a -> a.kind() == AuditKind.ROOM_OPENED && user.equals(a.externalUserId()));
            assertEquals(200, postLine(stack, member, LineWebhooks.text(dest, user, "01UNSENDTEXT" + nonce, "6001", lineWords, now)));
            // a message the gateway cannot translate (an id the contract cannot carry): dead-lettered
            assertEquals(200, postLine(stack, member, LineWebhooks.text(dest, "U-not:valid", "01UNSENDDEAD" + nonce, "6002",
                    deadWords, now)));
            Delivery delivered = await(topics.deliveries, d -> d.eventId().equals("lm-6001"));
            assertEquals(lineWords, delivered.opened(keys(topics).get(delivered.sealed().keyId())).text(),
                    "before the unsend the platform opens the delivery with the key");

            String works = "{\"type\":\"message\",\"source\":{\"userId\":\"w-" + nonce + "\",\"domainId\":40029600},"
                    + "\"issuedTime\":\"" + java.time.Instant.ofEpochMilli(now) + "\",\"content\":{\"type\":\"text\",\"text\":\""
                    + worksWords + "\"}}";
            HttpResponse<String> worksAnswer = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/webhooks/works/"
                            + DemoTenant.TENANT)).header("Content-Type", "application/json")
                    .header("X-WORKS-BotId", DemoTenant.WORKS_BOT_ID)
                    .header("X-WORKS-Signature", LineWebhooks.sign(stack.secrets().worksBotSecret(), works.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(works, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, worksAnswer.statusCode(), worksAnswer.body());
            assertTrue(worksAnswer.body().contains("\"produced\":1"), worksAnswer.body());
            await(topics.audit, a -> a.connector() == Connector.WORKS && ("w-" + nonce).equals(a.externalUserId()));

            for (String messageId : List.of("6001", "6002")) {
                String unsend = "{\"destination\":\"" + dest + "\",\"events\":[{\"type\":\"unsend\",\"mode\":\"active\","
                        + "\"timestamp\":" + (now + 1) + ",\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"},"
                        + "\"webhookEventId\":\"01UNSEND" + messageId + nonce + "\",\"deliveryContext\":{\"isRedelivery\":false},"
                        + "\"unsend\":{\"messageId\":\"" + messageId + "\"}}]}";
                assertEquals(200, postLine(stack, member, unsend));
            }
            await(topics.audit, a -> a.kind() == AuditKind.UNSENT && ("01UNSEND6001" + nonce).equals(a.eventId()));
            await(topics.audit, a -> a.kind() == AuditKind.UNSENT && ("01UNSEND6002" + nonce).equals(a.eventId()));

            // 1. no words in clear anywhere: every topic of this stack, changelogs included, byte by byte
            List<String> scanned = new ArrayList<>();
            try (var admin = broker.admin()) {
                for (String name : admin.listTopics().names().get()) {
                    if (!name.startsWith(ns.topicPrefix())) {
                        continue;
                    }
                    scanned.add(name);
                    for (var r : rawRecords(name)) {
                        for (String words : List.of(lineWords, deadWords, worksWords)) {
                            assertFalse(holds(r.key(), words) || holds(r.value(), words)
                                            || java.util.stream.StreamSupport.stream(r.headers().spliterator(), false)
                                            .anyMatch(h -> holds(h.value(), words)),
                                    "'" + words + "' in clear on " + name + " at offset " + r.offset());
                        }
                    }
                }
            }
            for (Topic<?, ?> t : List.of(topics.lineEvents, topics.worksEvents, topics.deliveries, topics.dlq, topics.history,
                    topics.audit, topics.auditIntake, topics.contentKeys)) {
                assertTrue(scanned.contains(t.name()), t.name() + " scanned: " + scanned);
            }
            assertTrue(scanned.stream().filter(n -> n.endsWith("-changelog")).count() >= 2, "changelogs scanned: " + scanned);

            // 2. once the tombstones are read, no copy of the unsent messages opens: the key topic (and the
            //    policy's copy of it) holds no key for them, and each copy names exactly that key
            String lineKey = Ids.messageKey(DemoTenant.TENANT, Connector.LINE, "lm-6001");
            String deadKey = Ids.messageKey(DemoTenant.TENANT, Connector.LINE, "lm-6002");
            long until = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            Map<String, io.connectorgateway.contracts.content.ContentKey> keys = keys(topics);
            while ((keys.containsKey(lineKey) || keys.containsKey(deadKey)) && System.currentTimeMillis() < until && sleep()) {
                keys = keys(topics);
            }
            assertFalse(keys.containsKey(lineKey), "the unsend deleted the LINE message's key");
            assertFalse(keys.containsKey(deadKey), "the unsend deleted the dead-lettered message's key");
            int copies = 0;
            for (String name : scanned) {
                for (var r : rawRecords(name)) {
                    String text = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    if (text.contains("\"keyId\":\"" + lineKey + "\"") || text.contains("\"keyId\":\"" + deadKey + "\"")) {
                        copies++;
                    }
                }
            }
            // the event and the delivery of 6001, its history entry (topic and view changelog), the dead letter
            assertTrue(copies >= 4, "sealed copies found: " + copies);
            String worksKeyId = keys.keySet().stream().filter(k -> k.startsWith(DemoTenant.TENANT + ":WORKS:wk-")).findFirst()
                    .orElseThrow(() -> new AssertionError("the WORKS message's key is kept (never unsent)"));
            assertTrue(worksKeyId.startsWith(DemoTenant.TENANT + ":WORKS:"));
        }
    }

    private static boolean holds(byte[] bytes, String words) {
        return bytes != null && new String(bytes, StandardCharsets.UTF_8).contains(words);
    }

    /** Every record of a topic up to its end, as bytes, read_uncommitted (aborted writes count too). */
    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> rawRecords(String topic) {
        var config = new java.util.HashMap<>(KafkaBroker.get().consumerConfig("e2e-scan-" + System.nanoTime()));
        config.put("isolation.level", "read_uncommitted");
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + KafkaBroker.patience().toMillis();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertTrue(System.currentTimeMillis() < deadline, "could not read " + topic + " to its end " + end);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The key topic as a table: the latest record per key, tombstones removing. */
    private static Map<String, io.connectorgateway.contracts.content.ContentKey> keys(io.connectorgateway.contracts.topic.Topics topics) {
        Map<String, io.connectorgateway.contracts.content.ContentKey> table = new java.util.HashMap<>();
        for (var r : rawRecords(topics.contentKeys.name())) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                table.remove(id);
            } else {
                table.put(id, topics.contentKeys.valueSerde().deserializer().deserialize(topics.contentKeys.name(), r.value()));
            }
        }
        return table;
    }

    private static boolean contains(JsonNode items, String kind) {
        for (JsonNode i : items) {
            if (kind.equals(i.path("kind").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMessage(JsonNode items, String text) {
        for (JsonNode i : items) {
            if (text.equals(i.path("message").path("text").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private int postLine(LocalStack stack, String member, String body) throws Exception {
        return post(stack.gatewayUrl() + DemoTenant.lineWebhookPath(member), body,
                LineWebhooks.sign(stack.secrets().lineChannelSecret(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private int post(String url, String body, String signature) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("x-line-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Reads the topic read_committed from the start until a record matches. */
    private <V> V await(Topic<String, V> topic, Predicate<V> match) {
        return read(topic, match, true).get(0);
    }

    private <V> long count(Topic<String, V> topic, Predicate<V> match) {
        return read(topic, match, false).size();
    }

    private <V> List<V> read(Topic<String, V> topic, Predicate<V> match, boolean stopAtFirst) {
        var config = KafkaBroker.get().consumerConfig("e2e-" + System.nanoTime());
        List<V> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.currentTimeMillis() + (stopAtFirst ? KafkaBroker.patience().toMillis() : 5_000);
            while (System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && match.test(r.value())) {
                        found.add(r.value());
                        if (stopAtFirst) {
                            return found;
                        }
                    }
                }
            }
        }
        assertFalse(stopAtFirst, "no matching record on " + topic.name() + " within " + KafkaBroker.patience());
        return found;
    }
}
