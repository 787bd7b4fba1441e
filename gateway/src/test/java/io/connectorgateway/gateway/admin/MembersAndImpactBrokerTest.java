package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static io.connectorgateway.gateway.admin.SettingsApiBrokerTest.assertViolation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connected members (list, add, remove, URL reset) and the impact preview, against a real server and broker. */
@ExtendWith(KafkaBrokerExtension.class)
class MembersAndImpactBrokerTest {
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static String members(String tenant, Connector c) {
        return "/admin/v1/tenants/" + tenant + "/connectors/" + c + "/members";
    }

    static void directory(String tenant, String member, DirectoryEvent.Type type) {
        var e = DirectoryEvent.of("dir-" + member + "-" + type + "-" + System.nanoTime(), tenant, member, type,
                System.currentTimeMillis());
        s.publish(s.topics.directoryEvents, e.key(), e);
    }

    static Map<String, JsonNode> byMember(JsonNode array) {
        Map<String, JsonNode> out = new TreeMap<>();
        array.forEach(m -> out.put(m.get("memberId").asText(), m));
        return out;
    }

    @Test
    void membersAreAddedRemovedAndGetNewUrlsWithOneAuditRecordPerCall() {
        String t = "acme";
        String path = members(t, Connector.LINE);
        for (String m : List.of("m-a", "m-b", "m-c", "m-e")) {
            directory(t, m, DirectoryEvent.Type.JOINED);
        }
        directory(t, "m-e", DirectoryEvent.Type.LEFT);

        var unknown = s.call("POST", path, s.acmeToken, Map.of("add", List.of("m-a", "m-zz"), "reason", "hire"));
        assertEquals(422, unknown.status(), String.valueOf(unknown.body()));
        assertEquals("R3", unknown.body().at("/violations/0/rule").asText());
        // m-a may be unknown yet too (the directory is read asynchronously): m-zz is named in any case.
        assertTrue(unknown.body().get("violations").toString().contains("add[1]"));

        eventually("the directory to reach the view", () -> s.call("POST", path, s.acmeToken,
                Map.of("add", List.of("m-a", "m-b", "m-c"), "reason", "sales team")).status() == 200);
        assertViolation(s.call("POST", path, s.acmeToken, Map.of("add", List.of("m-e"), "reason", "left already")), "R3", "add[0]");

        Map<String, JsonNode> listed = byMember(s.call("GET", path, s.acmeToken, null).body().get("members"));
        assertEquals(List.of("m-a", "m-b", "m-c"), List.copyOf(listed.keySet()));
        for (JsonNode m : listed.values()) {
            assertEquals("https://friends.example.test/friend/" + t + "/" + m.get("urlToken").asText(), m.get("friendUrl").asText());
            assertTrue(m.get("urlToken").asText().length() >= 32);
            assertEquals(1, m.get("version").asLong());
        }

        var again = s.call("POST", path, s.acmeToken, Map.of("add", List.of("m-a"), "reason", "again"));
        assertEquals(200, again.status());
        assertEquals(0, again.body().get("changed").size());
        assertEquals("m-a", again.body().at("/unchanged/0").asText());

        var removed = s.call("POST", path, s.acmeToken, Map.of("remove", List.of("m-b"), "reason", "moved to support"));
        assertEquals(200, removed.status());
        assertFalse(removed.body().at("/changed/0/granted").asBoolean());
        assertEquals(List.of("m-a", "m-c"), List.copyOf(byMember(s.call("GET", path, s.acmeToken, null).body()
                .get("members")).keySet()));
        JsonNode withRemoved = s.call("GET", path + "?all=true", s.acmeToken, null).body().get("members");
        assertFalse(byMember(withRemoved).get("m-b").get("granted").asBoolean());

        var oneReset = s.call("POST", path + ":reset-urls", s.acmeToken, Map.of("members", List.of("m-a"), "reason", "URL leaked"));
        assertEquals(200, oneReset.status(), String.valueOf(oneReset.body()));
        Map<String, JsonNode> afterOne = byMember(s.call("GET", path, s.acmeToken, null).body().get("members"));
        assertNotEquals(listed.get("m-a").get("urlToken"), afterOne.get("m-a").get("urlToken"));
        assertEquals(listed.get("m-c").get("urlToken"), afterOne.get("m-c").get("urlToken"));
        assertEquals(2, afterOne.get("m-a").get("version").asLong());

        var allReset = s.call("POST", path + ":reset-urls", s.acmeToken, Map.of("all", true, "reason", "quarterly rotation"));
        assertEquals(2, allReset.body().get("changed").size());
        Map<String, JsonNode> afterAll = byMember(s.call("GET", path, s.acmeToken, null).body().get("members"));
        assertNotEquals(afterOne.get("m-a").get("urlToken"), afterAll.get("m-a").get("urlToken"));
        assertNotEquals(afterOne.get("m-c").get("urlToken"), afterAll.get("m-c").get("urlToken"));

        // ALL_MEMBERS (the mode here): every active member has a URL without being listed (issue 13),
        // so a removed member's URL can be reset too, and they stay off the list; a stranger has none
        var unlisted = s.call("POST", path + ":reset-urls", s.acmeToken, Map.of("members", List.of("m-b"), "reason", "x"));
        assertEquals(200, unlisted.status(), String.valueOf(unlisted.body()));
        assertFalse(unlisted.body().at("/changed/0/granted").asBoolean());
        assertViolation(s.call("POST", path + ":reset-urls", s.acmeToken, Map.of("members", List.of("m-zz"), "reason", "x")),
                "R5", "members[0]");
        assertEquals(400, s.call("POST", path, s.acmeToken, Map.of("add", List.of("m-a"), "remove", List.of("m-a"),
                "reason", "x")).status());
        assertEquals(400, s.call("POST", path, s.acmeToken, Map.of("add", List.of("bad:id"), "reason", "x")).status());
        assertViolation(s.call("POST", path, s.acmeToken, Map.of("add", List.of("m-a"))), "R10", "reason");
        var stale = s.call("POST", path, s.acmeToken, Map.of("remove", List.of("m-c"), "reason", "x",
                "expectedVersions", Map.of("m-c", 1)));
        assertEquals(409, stale.status());
        assertEquals(2, stale.body().get("currentVersion").asLong());

        // The topic holds the rows the API shows; the stream would read exactly these tokens.
        Map<String, ConnectedMember> latest = new HashMap<>();
        s.readAll(s.topics.members).stream().filter(m -> m.tenant().equals(t) && m.connector() == Connector.LINE)
                .forEach(m -> latest.put(m.memberId(), m));
        assertEquals(afterAll.get("m-a").get("urlToken").asText(), latest.get("m-a").urlToken());
        assertFalse(latest.get("m-b").granted());
        assertEquals("alice", latest.get("m-a").change().actor().id());

        List<AuditRecord> audits = s.readAll(s.topics.auditIntake).stream()
                .filter(r -> r.tenant().equals(t) && r.kind() == AuditKind.MEMBERS_CHANGED && r.connector() == Connector.LINE)
                .toList();
        assertEquals(List.of("sales team", "moved to support", "URL leaked", "quarterly rotation", "x"),
                audits.stream().map(AuditRecord::reason).toList());
        AuditRecord add = audits.get(0);
        assertEquals("m-a,m-b,m-c", add.detail().get("members"));
        assertEquals(3, add.after().size());
        assertEquals("m-b", audits.get(1).memberId());
        assertFalse(audits.get(1).after().get(0).get("granted").asBoolean());
        assertFalse(add.after().toString().contains(latest.get("m-c").urlToken()), "tokens stay out of the audit trail");

        // WORKS has no friend-add URL to share.
        JsonNode works = s.call("GET", members(t, Connector.WORKS), s.acmeToken, null).body().get("members");
        works.forEach(m -> assertTrue(m.get("friendUrl") == null || m.get("friendUrl").isNull()));
    }

    @Test
    void impactPreviewNamesTheRoomsAChangeWouldDropAndWritesNothing() {
        String t = "impact-tenant";
        String op = s.operatorToken;
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/" + t + "/plan", op, Map.of("plan", "LITE", "reason", "contract")).status());
        assertEquals(200, s.call("PATCH", "/admin/v1/tenants/" + t + "/connectors/LINE/settings", op,
                Map.of("enabled", true, "reason", "open"), Map.of("If-Match", "1")).status());
        for (String m : List.of("m1", "m2", "m3", "m4")) {
            directory(t, m, DirectoryEvent.Type.JOINED);
        }
        eventually("m1 known", () -> s.call("POST", members(t, Connector.LINE), op,
                Map.of("add", List.of("m1"), "reason", "vip"), Map.of()).status() == 200);
        // Rooms as the policy stream would announce them.
        opened(t, Connector.LINE, "m1", "u1");
        opened(t, Connector.LINE, "m1", "u2");
        opened(t, Connector.LINE, "m2", "u3");
        opened(t, Connector.LINE, "m3", "u4");
        String r4 = opened(t, Connector.LINE, "m4", "u5");
        opened(t, Connector.WORKS, "m2", "w1");
        var drop = new RoomCommand(1, "drop-" + r4, RoomCommand.Action.DROPPED, t, Connector.LINE, r4, "m4", "u5",
                RoomCommand.Reason.MEMBER_LEFT, 2, "cause", System.currentTimeMillis());
        s.publish(t, s.topics.rooms, r4, drop);

        String impact = "/admin/v1/tenants/" + t + "/connectors/LINE/impact";
        eventually("four open LINE rooms", () -> s.call("POST", impact, op, Map.of("enabled", false)).body()
                .get("openRooms").asInt() == 4);

        JsonNode disable = s.call("POST", impact, op, Map.of("enabled", false)).body();
        assertEquals(4, disable.get("roomsDropped").asInt());
        assertEquals(Map.of("m1", 2, "m2", 1, "m3", 1), rooms(disable));
        disable.get("members").forEach(m -> assertEquals("CONNECTOR_DISABLED", m.get("reason").asText()));

        JsonNode byMember = s.call("POST", impact, op, Map.of("permissionMode", "BY_MEMBER")).body();
        assertEquals(Map.of("m2", 1, "m3", 1), rooms(byMember));
        byMember.get("members").forEach(m -> assertEquals("SWITCHED_TO_BY_MEMBER", m.get("reason").asText()));

        JsonNode free = s.call("POST", impact, op, Map.of("plan", "FREE")).body();
        assertEquals(4, free.get("roomsDropped").asInt());
        free.get("members").forEach(m -> assertEquals("PLAN_BELOW_LITE", m.get("reason").asText()));

        assertEquals(0, s.call("POST", impact, op, Map.of("removeMembers", List.of("m1"))).body().get("roomsDropped").asInt(),
                "in ALL_MEMBERS mode the list does not decide");

        assertEquals(200, s.call("PATCH", "/admin/v1/tenants/" + t + "/connectors/LINE/settings", op,
                Map.of("permissionMode", "BY_MEMBER", "reason", "restrict"), Map.of("If-Match", "2")).status());
        JsonNode remove = s.call("POST", impact, op, Map.of("removeMembers", List.of("m1"))).body();
        assertEquals(Map.of("m1", 2), rooms(remove));
        assertEquals("MEMBER_REMOVED", remove.at("/members/0/reason").asText());
        assertEquals(2, remove.at("/members/0/roomIds").size());

        // A member who left is no longer permitted: nothing more to drop for them.
        directory(t, "m1", DirectoryEvent.Type.LEFT);
        eventually("m1 departure seen", () -> s.call("POST", impact, op, Map.of("enabled", false)).body()
                .get("roomsDropped").asInt() == 0);

        // Previews wrote nothing: the settings are still at the version of the last real change.
        assertEquals(3, s.call("GET", "/admin/v1/tenants/" + t + "/connectors/LINE/settings", op, null).body()
                .get("version").asLong());
        assertEquals(2, s.readAll(s.topics.auditIntake).stream().filter(r -> r.tenant().equals(t)
                && r.kind() == AuditKind.SETTINGS_CHANGED && r.connector() == Connector.LINE && r.settingsVersion() > 1).count());
    }

    static String opened(String tenant, Connector c, String member, String user) {
        String pair = Ids.pairKey(tenant, c, member, user);
        String room = Ids.roomId(pair, "add-" + user);
        var cmd = new RoomCommand(1, "open-" + room, RoomCommand.Action.OPENED, tenant, c, room, member, user,
                c == Connector.LINE ? RoomCommand.Reason.FRIEND_ADDED : RoomCommand.Reason.CONTACT_ADDED, 2, "add-" + user,
                System.currentTimeMillis());
        s.publish(tenant, s.topics.rooms, room, cmd);
        return room;
    }

    static Map<String, Integer> rooms(JsonNode impact) {
        Map<String, Integer> out = new HashMap<>();
        impact.get("members").forEach(m -> out.put(m.get("memberId").asText(), m.get("rooms").asInt()));
        return out;
    }
}
