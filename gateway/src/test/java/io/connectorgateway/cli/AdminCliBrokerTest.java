package io.connectorgateway.cli;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The CLI, run in this process against a real server: output, --json and exit codes. */
@ExtendWith(KafkaBrokerExtension.class)
class AdminCliBrokerTest {
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    static Run cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AdminCli.execute(env, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** As alice (acme's admin), URL and token from the environment as a script would set them. */
    static Run alice(String... args) {
        return cli(Map.of("CONNECTOR_ADMIN_URL", s.url(), "CONNECTOR_ADMIN_TOKEN", s.acmeToken), args);
    }

    static Run operator(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", s.url(), "--token", s.operatorToken));
        return cli(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void settingsAndPlanWithTablesJsonAndTrustworthyExitCodes() throws Exception {
        Run get = alice("settings", "get", "-t", "acme", "-c", "LINE");
        assertEquals(0, get.code(), get.err());
        assertTrue(get.out().contains("FIELD") && get.out().contains("version") && get.out().contains("FREE"), get.out());

        Run planByAdmin = alice("plan", "set", "-t", "acme", "--plan", "LITE", "--reason", "upgrade");
        assertEquals(AdminCli.AUTH, planByAdmin.code());
        assertTrue(planByAdmin.err().contains("403"), planByAdmin.err());
        Run plan = operator("plan", "set", "-t", "acme", "--plan", "LITE", "--reason", "upgrade");
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("LINE") && plan.out().contains("WORKS"), plan.out());

        Run set = alice("settings", "set", "-t", "acme", "-c", "line", "--enabled", "true", "--mode", "BY_MEMBER",
                "--auto-grant", "true", "--attachments", "true", "--attachment-action", "BLOCK",
                "--attachment-kinds", "IMAGE,FILE", "--reason", "launch", "--json");
        assertEquals(0, set.code(), set.err());
        assertEquals(2, set.json().get("version").asLong());
        assertEquals("BLOCK", set.json().at("/attachments/action").asText());

        Path greeting = Files.createTempFile("greeting", ".txt");
        Files.writeString(greeting, "Thanks for adding us! {userName}");
        Run withFile = alice("settings", "set", "-t", "acme", "-c", "LINE", "--greeting", "true",
                "--greeting-text-file", greeting.toString(), "--reason", "welcome", "--if-version", "2");
        assertEquals(0, withFile.code(), withFile.err());
        assertTrue(withFile.out().contains("Thanks for adding us!"), withFile.out());

        Run invalid = alice("settings", "set", "-t", "acme", "-c", "WORKS", "--greeting", "true", "--greeting-text", "hi",
                "--reason", "try");
        assertEquals(AdminCli.VALIDATION, invalid.code());
        assertTrue(invalid.err().contains("R7 greeting.enabled"), invalid.err());
        Run invalidJson = alice("settings", "set", "-t", "acme", "-c", "LINE", "--auto-grant", "true", "--mode",
                "ALL_MEMBERS", "--reason", "try", "--json");
        assertEquals(AdminCli.VALIDATION, invalidJson.code());
        assertEquals("R9", invalidJson.json().at("/violations/0/rule").asText());

        Run stale = alice("settings", "set", "-t", "acme", "-c", "LINE", "--enabled", "false", "--reason", "x",
                "--if-version", "1");
        assertEquals(AdminCli.CONFLICT, stale.code());
        assertTrue(stale.err().contains("current version: 3"), stale.err());

        assertEquals(AdminCli.USAGE, alice("settings", "set", "-t", "acme", "-c", "LINE", "--reason", "nothing").code());
        assertEquals(AdminCli.USAGE, alice("settings", "get", "-t", "acme").code(), "missing --connector");
        assertEquals(AdminCli.USAGE, alice("settings", "get", "-t", "acme", "-c", "SMS").code());
        assertEquals(AdminCli.USAGE, alice("frobnicate").code());
        assertEquals(AdminCli.USAGE, alice().code());
        assertEquals(AdminCli.OK, alice("--help").code());
        assertEquals(AdminCli.USAGE, cli(Map.of("CONNECTOR_ADMIN_URL", s.url()), "settings", "get", "-t", "acme", "-c",
                "LINE").code(), "no token anywhere");
        assertEquals(AdminCli.AUTH, cli(Map.of("CONNECTOR_ADMIN_URL", s.url(), "CONNECTOR_ADMIN_TOKEN", "wrong"),
                "settings", "get", "-t", "acme", "-c", "LINE").code());
        assertEquals(AdminCli.AUTH, alice("settings", "get", "-t", "globex", "-c", "LINE").code());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run down = cli(Map.of(), "settings", "get", "-t", "acme", "-c", "LINE", "--url", "http://127.0.0.1:" + closedPort,
                "--token", s.acmeToken);
        assertEquals(AdminCli.UNAVAILABLE, down.code());
    }

    @Test
    void membersInBatchesWithProgressImpactAndAudit(@TempDir Path dir) throws Exception {
        String t = "globex";
        Map<String, String> env = Map.of("CONNECTOR_ADMIN_URL", s.url(), "CONNECTOR_ADMIN_TOKEN", s.globexToken);
        assertEquals(0, operator("plan", "set", "-t", t, "--plan", "BASIC", "--reason", "deal").code());
        assertEquals(0, cli(env, "settings", "set", "-t", t, "-c", "LINE", "--enabled", "true", "--mode", "BY_MEMBER",
                "--reason", "start").code());
        for (int i = 1; i <= 5; i++) {
            var e = DirectoryEvent.of("join-" + i, t, "g" + i, DirectoryEvent.Type.JOINED, System.currentTimeMillis());
            s.publish(s.topics.directoryEvents, e.key(), e);
        }
        Path file = dir.resolve("members.txt");
        Files.writeString(file, "# sales\ng3\ng4\n\ng5\n");
        eventually("directory seen", () -> cli(env, "members", "add", "-t", t, "-c", "WORKS", "--reason", "probe", "g5")
                .code() == 0);

        Run add = cli(env, "members", "add", "-t", t, "-c", "LINE", "--reason", "sales team", "--batch-size", "2",
                "g1", "g2", "--file", file.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.err().contains("add: 2/5 members (batch 1/3)"), add.err());
        assertTrue(add.err().contains("add: 5/5 members (batch 3/3)"), add.err());
        assertTrue(add.out().contains("https://friends.example.test/friend/"), add.out());

        Run unknown = cli(env, "members", "add", "-t", t, "-c", "LINE", "--reason", "x", "nobody");
        assertEquals(AdminCli.VALIDATION, unknown.code());
        assertTrue(unknown.err().contains("R3"), unknown.err());
        Run noFile = cli(env, "members", "add", "-t", t, "-c", "LINE", "--reason", "x", "--file",
                file.resolveSibling("missing.txt").toString());
        assertEquals(AdminCli.USAGE, noFile.code(), "a missing --file is a usage error, not an unreachable server");
        assertTrue(noFile.err().contains("missing.txt"), noFile.err());

        Run list = cli(env, "members", "list", "-t", t, "-c", "LINE", "--json");
        assertEquals(5, list.json().get("members").size());
        Map<String, String> before = new HashMap<>();
        list.json().get("members").forEach(m -> before.put(m.get("memberId").asText(), m.get("urlToken").asText()));

        Run reset = cli(env, "members", "reset-urls", "-t", t, "-c", "LINE", "--reason", "rotation", "--all");
        assertEquals(0, reset.code(), reset.err());
        cli(env, "members", "list", "-t", t, "-c", "LINE", "--json").json().get("members")
                .forEach(m -> assertTrue(!before.get(m.get("memberId").asText()).equals(m.get("urlToken").asText())));
        assertEquals(AdminCli.USAGE, cli(env, "members", "reset-urls", "-t", t, "-c", "LINE", "--reason", "x").code());

        Run removed = cli(env, "members", "remove", "-t", t, "-c", "LINE", "--reason", "left sales", "g5");
        assertEquals(0, removed.code());
        assertTrue(removed.out().contains("removed"), removed.out());

        String pair = Ids.pairKey(t, Connector.LINE, "g1", "lu1");
        String room = Ids.roomId(pair, "fa-1");
        s.publish(t, s.topics.rooms, room, new RoomCommand(1, "open-" + room, RoomCommand.Action.OPENED, t, Connector.LINE,
                room, "g1", "lu1", RoomCommand.Reason.FRIEND_ADDED, 3, "fa-1", System.currentTimeMillis()));
        eventually("room seen", () -> cli(env, "impact", "-t", t, "-c", "LINE", "--disable").out()
                .contains("1 of 1 open rooms would be dropped"));
        Run impact = cli(env, "impact", "-t", t, "-c", "LINE", "--remove", "g1,g2", "--json");
        assertEquals(1, impact.json().get("roomsDropped").asInt());
        assertEquals("MEMBER_REMOVED", impact.json().at("/members/0/reason").asText());
        assertEquals(AdminCli.USAGE, cli(env, "impact", "-t", t, "-c", "LINE").code());

        // the trail is the auditor's (SPEC "Admin roles"): the tenant admin's token is refused there
        assertEquals(AdminCli.AUTH, cli(env, "audit", "search", "-t", t).code());
        Map<String, String> auditor = Map.of("CONNECTOR_ADMIN_URL", s.url(), "CONNECTOR_ADMIN_TOKEN", s.globexAuditorToken);
        eventually("audit has the members changes", () -> cli(auditor, "audit", "search", "-t", t, "--kind", "MEMBERS_CHANGED",
                "-c", "LINE", "--json").json().get("items").size() == 5);
        Run audit = cli(auditor, "audit", "search", "-t", t, "--kind", "MEMBERS_CHANGED", "-c", "LINE", "--json");
        List<String> reasons = new ArrayList<>();
        audit.json().get("items").forEach(i -> reasons.add(i.get("reason").asText()));
        assertEquals(List.of("left sales", "rotation", "sales team", "sales team", "sales team"), reasons);
        Run paged = cli(auditor, "audit", "search", "-t", t, "--member", "g1", "--limit", "1");
        assertTrue(paged.out().contains("KIND") && paged.out().contains("MEMBERS_CHANGED"), paged.out());
        assertTrue(paged.err().contains("more: --cursor "), paged.err());
        Run two = cli(auditor, "audit", "search", "-t", t, "--member", "g1", "--limit", "1", "--pages", "2", "--json");
        assertEquals(2, two.json().get("items").size());
    }

    @Test
    void tailFollowsWhatHappensNext() {
        // A tenant no other test touches: the start cursor covers what the store has consumed, so
        // another test's audit records still in flight for a shared tenant would show up after it.
        String t = "tailco";
        var start = s.call("GET", "/admin/v1/tenants/" + t + "/audit:tail", s.operatorToken, null);
        String cursor = start.body().get("cursor").asText();
        Run change = operator("plan", "set", "-t", t, "--plan", "ADVANCED", "--reason", "big customer");
        assertEquals(0, change.code(), change.err());
        Run tail = operator("audit", "tail", "-t", t, "--kind", "SETTINGS_CHANGED", "--cursor", cursor,
                "--max-records", "2", "--duration", "60", "--json");
        assertEquals(0, tail.code(), tail.err());
        String[] lines = tail.out().strip().split("\n");
        assertEquals(2, lines.length, tail.out());
        for (String line : lines) {
            assertTrue(line.contains("\"big customer\"") && line.contains("SETTINGS_CHANGED"), line);
        }
    }

    @Test
    void tokenGenerateGivesATokenAndTheHashToConfigure() {
        Run r = cli(Map.of(), "token", "generate", "--id", "carol", "--tenant", "acme");
        assertEquals(0, r.code(), r.err());
        String token = r.out().lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow().substring(6).strip();
        String credential = r.out().lines().filter(l -> l.startsWith("credential:")).findFirst().orElseThrow()
                .substring(11).strip();
        assertEquals("carol:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(token), credential);
        assertEquals(AdminCli.USAGE, cli(Map.of(), "token", "generate", "--id", "carol").code(), "tenant admin needs --tenant");
    }
}
