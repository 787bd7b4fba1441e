package io.connectorgateway.local;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo tenant: who is in it, and how it is set up. Setup goes the way it would in production:
 * the platform publishes its members on {@code connector.directory.events}; the operator sets the
 * plan and the tenant admin the settings and connected members through the admin API.
 */
final class DemoTenant {
    static final String TENANT = "demo";
    /** Members with a LINE channel each (friend-add URL). */
    static final List<String> LINE_MEMBERS = List.of("sato", "suzuki");
    /** The member behind the demo LINE WORKS bot. */
    static final String WORKS_MEMBER = "sato";
    static final String WORKS_BOT_ID = "2000001";
    static final String REASON = "local demo setup";

    private DemoTenant() {
    }

    /** The LINE channel bot user id ("destination") of a member's demo channel: stable, 'U' + 32 hex. */
    static String destination(String member) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("demo-channel-" + member).getBytes(StandardCharsets.UTF_8));
            return "U" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The LINE channel id of a member's demo channel: stable, numeric like LINE's. */
    static String channelId(String member) {
        return "16570000" + String.format("%02d", LINE_MEMBERS.indexOf(member) + 1);
    }

    /** The webhook path of a member's registered demo channel (set in the LINE Developers Console). */
    static String lineWebhookPath(String member) {
        return "/webhooks/line/" + TENANT + "/" + channelId(member);
    }

    /** The LINE friend-add link of a member's demo channel (where their friend URL leads). */
    static String friendLink(String member) {
        return "https://line.me/R/ti/p/@demo-" + member;
    }

    /**
     * Registers each demo member's LINE channel and the demo WORKS bot through the admin API, as an
     * admin would with {@code connector-admin channels register}, unless already registered (the
     * registry is data on {@code connector.channels}: it survives restarts, and a change is in force
     * at once, with no restart of anything).
     */
    static void registerChannelsIfNeeded(AdminHttp admin, LocalSecrets secrets) throws Exception {
        for (String member : LINE_MEMBERS) {
            String path = "/tenants/" + TENANT + "/connectors/LINE/members/" + member + "/channel";
            if (admin.exists(secrets.tenantAdminToken(), path)) {
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("channelId", channelId(member));
            body.put("destination", destination(member));
            body.put("friendLink", friendLink(member));
            body.put("secrets", List.of(secrets.lineChannelSecret()));
            body.put("accessToken", secrets.lineAccessToken(member));
            body.put("reason", REASON);
            admin.call(secrets.tenantAdminToken(), "PUT", path, body);
        }
        String bot = "/tenants/" + TENANT + "/connectors/WORKS/members/" + WORKS_MEMBER + "/channel";
        if (!admin.exists(secrets.tenantAdminToken(), bot)) {
            admin.call(secrets.tenantAdminToken(), "PUT", bot, Map.of("channelId", WORKS_BOT_ID,
                    "secrets", List.of(secrets.worksBotSecret()), "reason", REASON));
        }
    }

    /** Seeds the tenant through the admin API unless it is already set up. */
    static void seedIfNeeded(KafkaEnvironment kafka, AdminHttp admin, LocalSecrets secrets) throws Exception {
        long lineVersion = admin.get(secrets.tenantAdminToken(), "/tenants/" + TENANT + "/connectors/LINE/settings")
                .path("version").asLong();
        if (lineVersion > 0) {
            return;
        }
        System.out.println("seeding the demo tenant '" + TENANT + "' (first start)...");
        publishMembersJoined(kafka, List.of("sato", "suzuki", "tanaka"));
        admin.call(secrets.operatorToken(), "PUT", "/tenants/" + TENANT + "/plan", Map.of("plan", "BASIC", "reason", REASON));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("enabled", true);
        line.put("permissionMode", "BY_MEMBER");
        line.put("autoGrantNewMembers", true);
        line.put("greeting", Map.of("enabled", true,
                "text", "Hello {userName}, this is {memberName}. Thank you for adding me!",
                "salesInfo", "This month: 10% off every plan. Ask me how."));
        line.put("attachments", Map.of("enabled", true, "action", "STRIP"));
        line.put("reason", REASON);
        patchSettings(admin, secrets, Connector.LINE, line);
        admin.call(secrets.tenantAdminToken(), "POST", "/tenants/" + TENANT + "/connectors/LINE/members",
                Map.of("add", LINE_MEMBERS, "reason", REASON));
        Map<String, Object> works = new LinkedHashMap<>();
        works.put("enabled", true);
        works.put("permissionMode", "ALL_MEMBERS");
        works.put("attachments", Map.of("enabled", true, "action", "BLOCK"));
        works.put("reason", REASON);
        patchSettings(admin, secrets, Connector.WORKS, works);
    }

    static void patchSettings(AdminHttp admin, LocalSecrets secrets, Connector c, Map<String, Object> fields) throws Exception {
        String path = "/tenants/" + TENANT + "/connectors/" + c + "/settings";
        long version = admin.get(secrets.tenantAdminToken(), path).path("version").asLong();
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("expectedVersion", version);
        admin.call(secrets.tenantAdminToken(), "PATCH", path, body);
    }

    private static void publishMembersJoined(KafkaEnvironment kafka, List<String> members) throws Exception {
        Topics topics = kafka.topics();
        try (var producer = new KafkaProducer<>(kafka.durableProducerConfig("local-stack-platform"),
                topics.directoryEvents.keySerde().serializer(), topics.directoryEvents.valueSerde().serializer())) {
            for (String m : members) {
                DirectoryEvent e = DirectoryEvent.of("seed-joined-" + m, TENANT, m, DirectoryEvent.Type.JOINED,
                        System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.directoryEvents.name(), e.key(), e)).get();
            }
        }
    }

    /** The current friend-add URL of each demo LINE member, as the admin API shows it (after a reset: the new one). */
    static Map<String, String> friendUrls(AdminHttp admin, LocalSecrets secrets) throws Exception {
        Map<String, String> urls = new LinkedHashMap<>();
        for (var m : admin.get(secrets.tenantAdminToken(), "/tenants/" + TENANT + "/connectors/LINE/members").path("members")) {
            if (LINE_MEMBERS.contains(m.path("memberId").asText()) && !m.path("friendUrl").isMissingNode()
                    && !m.path("friendUrl").isNull()) {
                urls.put(m.path("memberId").asText(), m.path("friendUrl").asText());
            }
        }
        return urls;
    }
}
