package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateway instances on 8 partitions, each with an instance of the real policy service: each gateway holds the
 * tenants of the partitions Kafka assigned to its view application, and answers for any tenant
 * (forwarding to the owner), with read-your-writes across instances, an impact preview that names
 * exactly the rooms the stream then drops, and audit search over a dropped room's history.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TenantOwnershipBrokerTest {
    static final int PARTITIONS = 8;
    static AdminServer a;
    static AdminServer b;
    static String op;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        // Each server also runs an instance of the policy service (one group, as in production).
        a = new AdminServer(broker, ns, Map.of(), PARTITIONS);
        op = a.operatorToken;
        b = new AdminServer(broker, ns, Map.of("gateway.admin.instance-id", ns.appId("second"),
                "gateway.admin.credentials", List.of("olga:OPERATOR:*:" + AdminCredentials.sha256Hex(op)),
                "gateway.view.ready-timeout", "4s"), PARTITIONS);
        AdminServer.awaitSplit(a, b, PARTITIONS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    static int partition(String tenant) {
        return TenantPartitioner.partition(tenant, PARTITIONS);
    }

    /** {@code n} tenant ids named {@code prefix-i} whose partition the given instance owns. */
    static List<String> tenantsOwnedBy(AdminServer s, String prefix, int n) {
        Set<Integer> owned = s.view().activePartitions();
        return IntStream.range(0, 1000).mapToObj(i -> prefix + "-" + i).filter(t -> owned.contains(partition(t)))
                .limit(n).toList();
    }

    static String settings(String t) {
        return "/admin/v1/tenants/" + t + "/connectors/LINE/settings";
    }

    static String members(String t) {
        return "/admin/v1/tenants/" + t + "/connectors/LINE/members";
    }

    static JsonNode ok(AdminServer.Answer answer) {
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return answer.body();
    }

    @Test
    void eitherInstanceAnswersForEveryTenantAndReadsItsOwnWrites() {
        List<String> tenants = new ArrayList<>(tenantsOwnedBy(a, "rw-a", 2));
        tenants.addAll(tenantsOwnedBy(b, "rw-b", 2));
        for (String t : tenants) {
            // Writes and reads alternate between the instances; no read waits: each write answered
            // only once the owner's view showed it, and each read is answered by that owner.
            for (AdminServer writer : List.of(a, b)) {
                AdminServer reader = writer == a ? b : a;
                long version = ok(reader.call("GET", settings(t), op, null)).get("version").asLong();
                ok(writer.call("PATCH", settings(t), op, Map.of("greeting", Map.of("text", "hi " + version), "reason", "rw"),
                        Map.of("If-Match", "\"" + version + "\"")));
                JsonNode read = ok(reader.call("GET", settings(t), op, null));
                assertEquals(version + 1, read.get("version").asLong(), t + " written on " + writer.url());
                assertEquals("hi " + version, read.at("/greeting/text").asText());
                assertEquals("\"" + (version + 1) + "\"", reader.call("GET", settings(t), op, null).header("ETag"));
                // The same stale version is refused wherever it is sent: one owner checks every write.
                assertEquals(409, writer.call("PATCH", settings(t), op, Map.of("enabled", false, "reason", "stale"),
                        Map.of("If-Match", "\"" + version + "\"")).status());
                assertEquals(409, reader.call("PATCH", settings(t), op, Map.of("enabled", false, "reason", "stale"),
                        Map.of("If-Match", "\"" + version + "\"")).status());
            }
            directory(t, "rw-m1");
            AdminServer writer = partition(t) % 2 == 0 ? a : b;
            AdminServer reader = writer == a ? b : a;
            eventually("rw-m1 known in " + t, () -> writer.call("POST", members(t), op,
                    Map.of("add", List.of("rw-m1"), "reason", "rw"), Map.of()).status() == 200);
            JsonNode listed = ok(reader.call("GET", members(t), op, null)).get("members");
            assertEquals(1, listed.size(), t);
            assertEquals("rw-m1", listed.at("/0/memberId").asText());
        }
        // A tenant that was never written reads as version 0 on both instances.
        for (AdminServer s : List.of(a, b)) {
            for (String t : List.of(tenantsOwnedBy(a, "never", 1).get(0), tenantsOwnedBy(b, "never", 1).get(0))) {
                assertEquals(0, ok(s.call("GET", settings(t), op, null)).get("version").asLong());
            }
        }
    }

    @Test
    void impactPreviewNamesExactlyTheRoomsTheStreamDropsAndAuditSearchFindsTheirHistory() {
        // One tenant owned by each instance; the preview is asked of the other instance, the change made on the owner.
        for (String t : List.of(tenantsOwnedBy(a, "drop-a", 1).get(0), tenantsOwnedBy(b, "drop-b", 1).get(0))) {
            AdminServer owner = a.view().activePartitions().contains(partition(t)) ? a : b;
            AdminServer other = owner == a ? b : a;
            ok(other.call("PUT", "/admin/v1/tenants/" + t + "/plan", op, Map.of("plan", "LITE", "reason", "contract")));
            ok(owner.call("PATCH", settings(t), op, Map.of("enabled", true, "permissionMode", "BY_MEMBER", "reason", "open"),
                    Map.of("If-Match", "\"1\"")));
            directory(t, "m1");
            directory(t, "m2");
            eventually("m1, m2 known in " + t, () -> other.call("POST", members(t), op,
                    Map.of("add", List.of("m1", "m2"), "reason", "sales"), Map.of()).status() == 200);
            Map<String, String> tokens = new HashMap<>();
            ok(owner.call("GET", members(t), op, null)).get("members")
                    .forEach(m -> tokens.put(m.get("memberId").asText(), m.get("urlToken").asText()));
            openRoom(other, t, "m1", "u1", tokens.get("m1"));
            openRoom(owner, t, "m1", "u3", tokens.get("m1"));
            openRoom(other, t, "m2", "u2", tokens.get("m2"));
            String impact = "/admin/v1/tenants/" + t + "/connectors/LINE/impact";
            eventually("three rooms open in " + t, () -> other.call("POST", impact, op, Map.of()).body()
                    .get("openRooms").asInt() == 3);
            a.publish(a.topics.lineEvents, Ids.pairKey(t, Connector.LINE, "m1", "u1"), event(t, "m1", "u1")
                    .type(EventType.MESSAGE).eventId("msg-" + t).text("hello from u1 in " + t).build());

            JsonNode preview = ok(other.call("POST", impact, op, Map.of("removeMembers", List.of("m1"))));
            assertEquals(2, preview.get("roomsDropped").asInt(), preview.toString());
            assertEquals("m1", preview.at("/members/0/memberId").asText());
            assertEquals("MEMBER_REMOVED", preview.at("/members/0/reason").asText());
            Set<String> previewed = new TreeSet<>();
            preview.at("/members/0/roomIds").forEach(r -> previewed.add(r.asText()));

            // The message is delivered (and in the history) before the change drops its room.
            eventually("the message delivered in " + t, () -> other.call("GET", "/admin/v1/tenants/" + t
                    + "/audit?kind=DELIVERED&externalUser=u1", op, null).body().get("items").size() == 1);
            ok(other.call("POST", members(t), op, Map.of("remove", List.of("m1"), "reason", "left sales")));
            eventually("the stream drops m1's rooms in " + t, () -> dropped(t).size() >= 2
                    && other.call("POST", impact, op, Map.of()).body().get("openRooms").asInt() == 1);
            assertEquals(previewed, dropped(t), "the preview named exactly the rooms the stream dropped");

            for (AdminServer s : List.of(a, b)) {
                JsonNode drops = ok(s.call("GET", "/admin/v1/tenants/" + t + "/audit?kind=ROOM_DROPPED&externalUser=u1", op, null));
                assertEquals(1, drops.get("items").size(), drops.toString());
                String room = drops.at("/items/0/roomId").asText();
                assertTrue(previewed.contains(room));
                JsonNode history = ok(s.call("GET", "/admin/v1/tenants/" + t + "/audit?room=" + room, op, null));
                List<String> texts = new ArrayList<>();
                history.get("items").forEach(i -> texts.add(i.at("/message/text").asText()));
                assertTrue(texts.contains("hello from u1 in " + t), "the dropped room's conversation is searchable: " + history);
                assertFalse(history.toString().contains("drop-" + (t.startsWith("drop-a") ? "b" : "a")), "one tenant only");
            }
        }
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgainButAnsweredWith503AndRetryAfter() {
        String ofA = tenantsOwnedBy(a, "loop", 1).get(0);
        String ofB = tenantsOwnedBy(b, "loop", 1).get(0);
        Map<String, String> forwarded = Map.of("X-Connector-Gateway-Forwarded", "elsewhere:1");
        // b thinks the request came from another instance: it does not own the tenant, so it waits
        // (the partition could be on its way to it) and then says so instead of passing it on.
        var refused = b.call("GET", settings(ofA), op, null, forwarded);
        assertEquals(503, refused.status(), String.valueOf(refused.body()));
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.body().get("message").asText().contains("partition " + partition(ofA)), refused.body().toString());
        // ... while a forwarded request for its own tenant is answered.
        assertEquals(200, b.call("GET", settings(ofB), op, null, forwarded).status());
    }

    @Test
    void noInstanceHoldsATenantOfAPartitionItDoesNotOwn() {
        List<String> tenants = IntStream.range(0, 24).mapToObj(i -> "own-" + i).toList();
        for (int i = 0; i < tenants.size(); i++) {
            String t = tenants.get(i);
            AdminServer via = i % 2 == 0 ? a : b;
            ok(via.call("PUT", "/admin/v1/tenants/" + t + "/plan", op, Map.of("plan", "LITE", "reason", "spread")));
            directory(t, "someone");
        }
        eventually("every tenant's audit record searchable", () -> tenants.stream().allMatch(t -> a.call("GET",
                "/admin/v1/tenants/" + t + "/audit?kind=SETTINGS_CHANGED", op, null).body().get("items").size() == 2));

        Map<Integer, Set<String>> heldByA = a.view().tenantsHeld();
        Map<Integer, Set<String>> heldByB = b.view().tenantsHeld();
        Set<Integer> ownedByA = a.view().activePartitions();
        Set<Integer> ownedByB = b.view().activePartitions();
        for (var held : List.of(Map.entry(heldByA, ownedByA), Map.entry(heldByB, ownedByB))) {
            held.getKey().forEach((p, inStore) -> {
                assertTrue(held.getValue().contains(p), "stores of partition " + p + " on an instance that does not own it");
                inStore.forEach(t -> assertEquals(p, partition(t), "tenant " + t + " in the stores of partition " + p));
            });
        }
        Set<String> onA = heldByA.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        Set<String> onB = heldByB.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        for (String t : tenants) {
            boolean aOwns = ownedByA.contains(partition(t));
            assertEquals(aOwns, onA.contains(t), t + " on A");
            assertEquals(!aOwns, onB.contains(t), t + " on B");
        }
        assertTrue(tenants.stream().anyMatch(onA::contains) && tenants.stream().anyMatch(onB::contains),
                "both instances hold some of the tenants");
    }

    static void directory(String tenant, String member) {
        var e = DirectoryEvent.of("dir-" + tenant + "-" + member, tenant, member, DirectoryEvent.Type.JOINED,
                System.currentTimeMillis());
        a.publish(a.topics.directoryEvents, e.key(), e);
    }

    static ConnectorEvent.Builder event(String tenant, String member, String user) {
        return ConnectorEvent.builder().tenant(tenant).connector(Connector.LINE).memberId(member).externalUserId(user)
                .direction(Direction.INBOUND).timestamp(System.currentTimeMillis());
    }

    /**
     * A friend-add through the member's current URL, until the stream opened the room: the stream
     * learns a new member row through its own control path, which a friend-add sent at the same
     * moment may overtake (then it is refused as a stale token, and audited).
     */
    static void openRoom(AdminServer via, String tenant, String member, String user, String token) {
        String opened = "/admin/v1/tenants/" + tenant + "/audit?kind=ROOM_OPENED&externalUser=" + user;
        long deadline = System.nanoTime() + KafkaBroker.patience().toNanos();
        for (int attempt = 0; ; attempt++) {
            a.publish(a.topics.lineEvents, Ids.pairKey(tenant, Connector.LINE, member, user), event(tenant, member, user)
                    .type(EventType.FRIEND_ADD).eventId("fa-" + tenant + "-" + user + "-" + attempt).urlToken(token).build());
            for (int i = 0; i < 30; i++) {
                if (ok(via.call("GET", opened, op, null)).get("items").size() > 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no room opened for " + member + "/" + user + " in " + tenant + "; audit: "
                            + via.call("GET", "/admin/v1/tenants/" + tenant + "/audit?externalUser=" + user, op, null).body());
                }
                sleepMillis(100);
            }
        }
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The rooms of {@code tenant} the stream has dropped, from connector.rooms itself. */
    static Set<String> dropped(String tenant) {
        return a.readAll(a.topics.rooms).stream()
                .filter(c -> c.tenant().equals(tenant) && c.action() == RoomCommand.Action.DROPPED)
                .map(RoomCommand::roomId).collect(Collectors.toCollection(TreeSet::new));
    }
}
