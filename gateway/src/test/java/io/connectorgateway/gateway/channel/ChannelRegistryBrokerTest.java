package io.connectorgateway.gateway.channel;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The channel registry as data (issue 13, items 1 and 2), against a real gateway, policy stream and
 * broker: register, rotate and retire through the admin API, in force for the next webhook with no
 * restart; secrets never in clear on any topic; no start without the right key.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ChannelRegistryBrokerTest {
    static final String T = "acme";
    static AdminServer s;
    static KafkaBroker.Namespace namespace;
    static KafkaBroker kafka;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        kafka = broker;
        namespace = ns;
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static String channel(String member) {
        return "/admin/v1/tenants/" + T + "/connectors/LINE/members/" + member + "/channel";
    }

    static String secret() {
        return "sec" + UUID.randomUUID().toString().replace("-", "");
    }

    static String destination() {
        return "U" + UUID.randomUUID().toString().replace("-", "");
    }

    static void joined(String member) {
        var e = DirectoryEvent.of("dir-" + member + "-" + System.nanoTime(), T, member, DirectoryEvent.Type.JOINED,
                System.currentTimeMillis());
        s.publish(s.topics.directoryEvents, e.key(), e);
    }

    /** Registers a LINE channel for {@code member} (waiting for the directory to show the member). */
    static AdminServer.Answer register(String member, String channelId, String destination, List<String> secrets, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channelId", channelId);
        body.put("destination", destination);
        body.put("friendLink", "https://line.me/R/ti/p/@" + channelId);
        body.put("secrets", secrets);
        body.put("accessToken", token);
        body.put("reason", "onboarding " + member);
        AdminServer.Answer[] last = new AdminServer.Answer[1];
        eventually("the member to be known", () -> (last[0] = s.call("PUT", channel(member), s.acmeToken, body)).status() != 422);
        return last[0];
    }

    static String webhook(String tenant, String channelId) {
        return s.url() + "/webhooks/line/" + tenant + "/" + channelId;
    }

    @Test
    void registeredRotatedAndRetiredChannelsAreInForceForTheNextWebhook() {
        String member = "reg-alice";
        joined(member);
        String ch = "1650000101";
        String dest = destination();
        String s1 = secret();
        String s2 = secret();
        String token = "tok" + UUID.randomUUID();

        AdminServer.Answer registered = register(member, ch, dest, List.of(s1), token);
        assertEquals(200, registered.status(), String.valueOf(registered.body()));
        assertEquals(List.of(ChannelSecrets.fingerprint(s1)), strings(registered.body().get("secretFingerprints")));
        assertEquals(ChannelSecrets.fingerprint(token), registered.body().get("accessTokenFingerprint").asText());
        assertEquals("/webhooks/line/" + T + "/" + ch, registered.body().get("webhookPath").asText());
        assertFalse(registered.raw().body().contains(s1) || registered.raw().body().contains(token), registered.raw().body());

        // in force at once, with its secret only
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s1).statusCode());
        var forged = LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s2);
        assertEquals(401, forged.statusCode(), forged.body());
        // the channel is acme's: the same id under another tenant is unknown there
        var elsewhere = LineBodies.post(webhook("globex", ch), LineBodies.follow(dest, LineBodies.newUser()), s1);
        assertEquals(401, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("unknown-channel"), elsewhere.body());
        // and another tenant's admin can neither see nor change it
        assertEquals(403, s.call("GET", channel(member), s.globexToken, null).status());

        // rotation: old and new both accepted, then the old one removed
        var rotated = s.call("POST", channel(member) + ":rotate", s.acmeToken, Map.of("addSecret", s2, "reason", "rotate"));
        assertEquals(200, rotated.status(), String.valueOf(rotated.body()));
        assertEquals(List.of(ChannelSecrets.fingerprint(s1), ChannelSecrets.fingerprint(s2)),
                strings(rotated.body().get("secretFingerprints")));
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s1).statusCode());
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s2).statusCode());
        var removed = s.call("POST", channel(member) + ":rotate", s.acmeToken,
                Map.of("removeSecret", ChannelSecrets.fingerprint(s1), "reason", "rotation done"));
        assertEquals(200, removed.status(), String.valueOf(removed.body()));
        assertEquals(401, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s1).statusCode());
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s2).statusCode());

        // retirement: the channel is no longer the member's; a follow through it is still recognised,
        // as a friend-add through a URL that was never current, which the stream refuses and audits
        var retired = s.call("POST", channel(member) + ":retire", s.acmeToken, Map.of("reason", "left the sales team"));
        assertEquals(200, retired.status(), String.valueOf(retired.body()));
        assertEquals("RETIRED", retired.body().get("status").asText());
        String late = LineBodies.newUser();
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, late), s2).statusCode());
        eventually("the follow through the retired channel", () -> s.readAll(s.topics.lineEvents).stream()
                .anyMatch(e -> e.externalUserId().equals(late) && e.type() == EventType.FRIEND_ADD
                        && e.urlToken().equals(ChannelDirectory.RETIRED_PREFIX + ch)));
        eventually("the refusal of that follow in the audit trail", () -> s.readAll(s.topics.audit).stream()
                .anyMatch(a -> late.equals(a.externalUserId()) && a.kind() == AuditKind.REFUSED));

        // every change audited through the intake: who, when, fingerprints, never the secret
        List<AuditRecord> changes = s.readAll(s.topics.auditIntake).stream()
                .filter(a -> a.kind() == AuditKind.CHANNEL_CHANGED && member.equals(a.memberId())).toList();
        assertEquals(List.of("register", "rotate", "rotate", "retire"), changes.stream().map(a -> a.detail().get("action")).toList());
        changes.forEach(a -> {
            assertEquals("alice", a.actor().id());
            assertTrue(a.timestamp() > 0);
            String json = new String(Json.mapper().valueToTree(a).toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertFalse(json.contains(s1) || json.contains(s2) || json.contains(token), json);
        });
        assertEquals(ChannelSecrets.fingerprint(s1) + "," + ChannelSecrets.fingerprint(s2),
                changes.get(1).detail().get("secretFingerprints"));
    }

    @Test
    void followWebhooksFollowAddResetAndRemoveAtOnceOnOneInstance() {
        new FollowScenario(s, s, "initech").byMember();
    }

    @Test
    void inAllMembersAnUnlistedMemberCanBeFriendAddedAndHasAUrlThatResets() {
        FollowScenario f = new FollowScenario(s, s, "hooli");
        f.open("ALL_MEMBERS");
        String m = f.newUnlistedMember();
        FollowScenario.Channel c = f.register(m, "18" + System.nanoTime() % 100_000_000L);
        JsonNode listed = s.call("GET", f.members(), s.operatorToken, null).body().get("members");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(m, listed.get(0).get("memberId").asText());
        assertFalse(listed.get(0).get("granted").asBoolean(), "not put on the list");
        assertTrue(listed.get(0).get("friendUrl").asText().contains("/friend/"), listed.toString());
        String firstUrl = listed.get(0).get("friendUrl").asText();

        assertEquals("ROOM_OPENED", f.decision(f.follow(c)), "ALL_MEMBERS: never listed, accepted");
        f.reset(m);
        JsonNode after = s.call("GET", f.members(), s.operatorToken, null).body().get("members");
        assertFalse(after.get(0).get("friendUrl").asText().equals(firstUrl), "the URL was reset");
        assertFalse(after.get(0).get("granted").asBoolean(), "and the member is still not on the list");
        assertEquals("ROOM_OPENED", f.decision(f.follow(c)), "the channel carries the new URL at once");

        // switching to BY_MEMBER would drop the unlisted member's rooms: the preview says so
        eventually("the opened rooms in the preview", () -> {
            JsonNode preview = s.call("POST", "/admin/v1/tenants/hooli/connectors/LINE/impact", s.operatorToken,
                    Map.of("permissionMode", "BY_MEMBER")).body();
            return preview.get("members").size() == 1 && preview.at("/members/0/memberId").asText().equals(m)
                    && preview.at("/members/0/rooms").asInt() == 2
                    && preview.at("/members/0/reason").asText().equals("SWITCHED_TO_BY_MEMBER");
        });
    }

    @Test
    void theGatewayServesFriendUrlsAndTheirQrCodesAndAResetIsInForceForTheNextVisitor() throws Exception {
        FollowScenario f = new FollowScenario(s, s, "friendco");
        f.open("BY_MEMBER");
        String m = f.newUnlistedMember();
        f.add(m);
        FollowScenario.Channel c = f.register(m, "19" + System.nanoTime() % 100_000_000L);
        String token = s.call("GET", f.members(), s.operatorToken, null).body().at("/members/0/urlToken").asText();
        JsonNode listed = s.call("GET", f.members(), s.operatorToken, null).body().at("/members/0");
        assertEquals("https://friends.example.test/friend/friendco/" + token, listed.get("friendUrl").asText());
        assertEquals(listed.get("friendUrl").asText() + "/qr.png", listed.get("qrUrl").asText());

        var current = get("/friend/friendco/" + token);
        assertEquals(302, current.statusCode(), current.body());
        assertEquals("https://line.me/R/ti/p/@" + c.id(), current.headers().firstValue("Location").orElse(null));

        var qr = getBytes("/friend/friendco/" + token + "/qr.png");
        assertEquals(200, qr.statusCode());
        assertEquals("image/png", qr.headers().firstValue("Content-Type").orElse(""));
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(qr.body()));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var bitmap = new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(
                new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        assertEquals(listed.get("friendUrl").asText(), new com.google.zxing.qrcode.QRCodeReader().decode(bitmap).getText());

        f.reset(m);
        var stale = get("/friend/friendco/" + token);
        assertEquals(410, stale.statusCode());
        assertTrue(stale.body().contains("no longer valid"), stale.body());
        assertEquals(410, getBytes("/friend/friendco/" + token + "/qr.png").statusCode(), "no QR code of a stale URL");
        String fresh = s.call("GET", f.members(), s.operatorToken, null).body().at("/members/0/urlToken").asText();
        assertEquals(302, get("/friend/friendco/" + fresh).statusCode(), "the new URL works for the next visitor");
        assertEquals(410, get("/friend/friendco/never-issued-token").statusCode());

        eventually("the stale and unknown visits on the audit trail", () -> {
            List<AuditRecord> visits = s.readAll(s.topics.audit).stream().filter(a -> a.tenant().equals("friendco")
                    && a.kind() == AuditKind.REFUSED && "friend-url-visitor".equals(a.actor().id())).toList();
            return visits.stream().anyMatch(a -> m.equals(a.memberId()) && "R5".equals(a.rule()))
                    && visits.stream().anyMatch(a -> a.memberId() == null);
        });
        // the visit of another tenant's URL under this tenant is unknown there
        assertEquals(410, get("/friend/acme/" + fresh).statusCode());
    }

    static java.net.http.HttpResponse<String> get(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(s.url() + path)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static java.net.http.HttpResponse<byte[]> getBytes(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(s.url() + path)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aChannelIdBelongsToOneMemberAndTheRequestIsValidated() {
        joined("reg-carol");
        joined("reg-dave");
        String ch = "1650000201";
        assertEquals(200, register("reg-carol", ch, destination(), List.of(secret()), null).status());
        assertEquals(200, register("reg-dave", "1650000203", destination(), List.of(secret()), null).status());
        var taken = s.call("PUT", channel("reg-dave"), s.acmeToken, Map.of("channelId", ch, "destination", destination(),
                "secrets", List.of(secret()), "reason", "take carol's"));
        assertEquals(422, taken.status(), String.valueOf(taken.body()));
        assertTrue(taken.body().toString().contains("reg-carol"), taken.body().toString());
        var three = s.call("PUT", channel("reg-dave"), s.acmeToken, Map.of("channelId", "1650000202", "destination", destination(),
                "secrets", List.of(secret(), secret(), secret()), "reason", "x"));
        assertEquals(400, three.status(), String.valueOf(three.body()));
        var link = s.call("PUT", channel("reg-dave"), s.acmeToken, Map.of("channelId", "1650000202", "destination", destination(),
                "friendLink", "http://evil.example/x", "secrets", List.of(secret()), "reason", "x"));
        assertEquals(400, link.status(), String.valueOf(link.body()));
        var unknownField = s.call("PUT", channel("reg-dave"), s.acmeToken, Map.of("channelId", "1650000202", "destination", destination(),
                "secret", secret(), "reason", "x"));
        assertEquals(400, unknownField.status(), String.valueOf(unknownField.body()));
    }

    @Test
    void noSecretOrTokenIsInClearOnAnyTopic() throws Exception {
        joined("reg-erin");
        String s1 = secret();
        String s2 = secret();
        String token = "tok" + UUID.randomUUID();
        String ch = "1650000301";
        String dest = destination();
        assertEquals(200, register("reg-erin", ch, dest, List.of(s1), token).status());
        assertEquals(200, s.call("POST", channel("reg-erin") + ":rotate", s.acmeToken, Map.of("addSecret", s2,
                "accessToken", token + "2", "reason", "rotate")).status());
        assertEquals(200, LineBodies.post(webhook(T, ch), LineBodies.follow(dest, LineBodies.newUser()), s2).statusCode());
        eventually("the registration on the audit trail", () -> s.readAll(s.topics.audit).stream()
                .anyMatch(a -> a.kind() == AuditKind.CHANNEL_CHANGED && "reg-erin".equals(a.memberId())));

        List<String> secrets = List.of(s1, s2, token, token + "2");
        List<String> topics = new ArrayList<>();
        s.topics.all().forEach(t -> topics.add(t.name()));
        try (Admin admin = kafka.admin()) {
            // the catalogue, and every other topic of this test's gateway and policy stream (changelogs)
            admin.listTopics().names().get().stream().filter(n -> n.startsWith(namespace.topicPrefix()) && !topics.contains(n))
                    .forEach(topics::add);
        }
        int scanned = 0;
        Map<String, Object> c = new HashMap<>(kafka.consumerConfig("secret-scan-" + UUID.randomUUID()));
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                var parts = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                var end = consumer.endOffsets(parts);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        scanned++;
                        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.ISO_8859_1);
                        String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1);
                        StringBuilder headers = new StringBuilder();
                        r.headers().forEach(h -> headers.append(new String(h.value() == null ? new byte[0] : h.value(),
                                StandardCharsets.ISO_8859_1)));
                        for (String secret : secrets) {
                            assertFalse(key.contains(secret) || value.contains(secret) || headers.toString().contains(secret),
                                    "a secret in clear on " + topic + " at " + r.partition() + "@" + r.offset());
                        }
                    }
                }
            }
        }
        assertTrue(topics.contains(s.topics.channels.name()));
        assertTrue(scanned > 0, "records were read");
        long onChannels = s.readAll(s.topics.channels).stream().filter(b -> b.memberId().equals("reg-erin")).count();
        assertEquals(2, onChannels, "the registration and the rotation are on connector.channels, sealed");
    }

    @Test
    void aGatewayWithoutTheKeyOrWithAnotherKeyRefusesToStart() {
        joined("reg-fay");
        assertEquals(200, register("reg-fay", "1650000401", destination(), List.of(secret()), null).status());

        Exception missing = assertThrows(Exception.class,
                () -> new AdminServer(kafka, namespace, Map.of("gateway.channels.keys", "")).close());
        assertTrue(causes(missing).contains("CONNECTOR_CHANNEL_KEYS is not set"), causes(missing));

        Exception wrong = assertThrows(Exception.class, () -> new AdminServer(kafka, namespace,
                Map.of("gateway.channels.keys", AdminServer.newChannelKey("test1"))).close());
        assertTrue(causes(wrong).contains("cannot open the channel secrets"), causes(wrong));

        Exception other = assertThrows(Exception.class, () -> new AdminServer(kafka, namespace,
                Map.of("gateway.channels.keys", AdminServer.newChannelKey("kek-new"))).close());
        assertTrue(causes(other).contains("does not hold"), causes(other));
    }

    @Test
    void theCliRegistersRotatesAndRetiresWithSecretsFromTheEnvironmentAndShowsFingerprintsOnly() {
        joined("reg-gus");
        String s1 = secret();
        String s2 = secret();
        Map<String, String> env = Map.of("CONNECTOR_ADMIN_URL", s.url(), "CONNECTOR_ADMIN_TOKEN", s.acmeToken,
                "GUS_SECRET", s1, "GUS_SECRET_NEXT", s2);
        String[] register = {"channels", "register", "-t", T, "-c", "LINE", "-m", "reg-gus", "--channel-id", "1650000501",
                "--destination", destination(), "--secret-env", "GUS_SECRET", "--reason", "cli onboarding"};
        String[] out = new String[1];
        eventually("the member to be known", () -> {
            var r = cli(env, register);
            out[0] = r[1];
            return r[0].equals("0");
        });
        assertTrue(out[0].contains(ChannelSecrets.fingerprint(s1)) && !out[0].contains(s1), out[0]);
        assertTrue(out[0].contains("/webhooks/line/" + T + "/1650000501"), out[0]);

        String[] rotated = cli(env, "channels", "rotate", "-t", T, "-c", "LINE", "-m", "reg-gus", "--add-secret-env",
                "GUS_SECRET_NEXT", "--reason", "rotate");
        assertEquals("0", rotated[0], rotated[2]);
        assertTrue(rotated[1].contains(ChannelSecrets.fingerprint(s2)) && !rotated[1].contains(s2), rotated[1]);

        String[] missing = cli(env, "channels", "rotate", "-t", T, "-c", "LINE", "-m", "reg-gus", "--add-secret-env",
                "NOT_SET", "--reason", "rotate");
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("NOT_SET"), missing[2]);

        String[] listed = cli(env, "channels", "list", "-t", T, "-c", "LINE");
        assertEquals("0", listed[0], listed[2]);
        assertTrue(listed[1].contains("reg-gus") && !listed[1].contains(s1) && !listed[1].contains(s2), listed[1]);

        String[] retired = cli(env, "channels", "retire", "-t", T, "-c", "LINE", "-m", "reg-gus", "--reason", "gone");
        assertEquals("0", retired[0], retired[2]);
        assertTrue(retired[1].contains("RETIRED"), retired[1]);
        String[] again = cli(env, "channels", "retire", "-t", T, "-c", "LINE", "-m", "reg-gus", "--reason", "gone");
        assertEquals("3", again[0], "retiring twice is a validation error: " + again[2]);
    }

    /** Runs the CLI: exit code, stdout, stderr. */
    static String[] cli(Map<String, String> env, String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int code = io.connectorgateway.cli.AdminCli.execute(env, new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
