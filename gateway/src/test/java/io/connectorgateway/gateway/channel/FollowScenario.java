package io.connectorgateway.gateway.channel;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.gateway.admin.AdminServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SPEC R5 through LINE follow webhooks, end to end (issue 13, item 4): admin changes made through
 * {@code admin}, follows sent to {@code webhooks} (the same gateway instance, or another one), the
 * decisions read from {@code connector.audit}.
 */
final class FollowScenario {
    private final AdminServer admin;
    private final AdminServer webhooks;
    private final String tenant;
    private final String op;

    FollowScenario(AdminServer admin, AdminServer webhooks, String tenant) {
        this.admin = admin;
        this.webhooks = webhooks;
        this.tenant = tenant;
        this.op = admin.operatorToken;
    }

    /** Plan LITE, LINE enabled, in {@code mode}. */
    void open(String mode) {
        var plan = admin.call("PUT", "/admin/v1/tenants/" + tenant + "/plan", op, Map.of("plan", "LITE", "reason", "contract"));
        assertEquals(200, plan.status(), String.valueOf(plan.body()));
        var patched = admin.call("PATCH", "/admin/v1/tenants/" + tenant + "/connectors/LINE/settings", op,
                Map.of("enabled", true, "permissionMode", mode, "reason", "open"), Map.of("If-Match", "1"));
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
    }

    void joined(String member) {
        var e = DirectoryEvent.of("dir-" + member + "-" + System.nanoTime(), tenant, member, DirectoryEvent.Type.JOINED,
                System.currentTimeMillis());
        admin.publish(admin.topics.directoryEvents, e.key(), e);
    }

    String members() {
        return "/admin/v1/tenants/" + tenant + "/connectors/LINE/members";
    }

    void add(String member) {
        eventually("member " + member + " added", () -> admin.call("POST", members(), op,
                Map.of("add", List.of(member), "reason", "sales")).status() == 200);
    }

    void remove(String member) {
        assertEquals(200, admin.call("POST", members(), op, Map.of("remove", List.of(member), "reason", "moved")).status());
    }

    void reset(String member) {
        var r = admin.call("POST", members() + ":reset-urls", op, Map.of("members", List.of(member), "reason", "leaked"));
        assertEquals(200, r.status(), String.valueOf(r.body()));
    }

    /** A registered channel: id, destination, secret. */
    record Channel(String id, String destination, String secret) {
    }

    Channel register(String member, String channelId) {
        Channel c = new Channel(channelId, ChannelRegistryBrokerTest.destination(), ChannelRegistryBrokerTest.secret());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channelId", c.id());
        body.put("destination", c.destination());
        body.put("friendLink", "https://line.me/R/ti/p/@" + c.id());
        body.put("secrets", List.of(c.secret()));
        body.put("reason", "channel for " + member);
        String path = "/admin/v1/tenants/" + tenant + "/connectors/LINE/members/" + member + "/channel";
        eventually("channel " + channelId + " registered", () -> admin.call("PUT", path, op, body).status() == 200);
        return c;
    }

    /** Sends a follow of a new LINE user through {@code c}; returns the user. */
    String follow(Channel c) {
        String user = LineBodies.newUser();
        var r = LineBodies.post(webhooks.url() + "/webhooks/line/" + tenant + "/" + c.id(), LineBodies.follow(c.destination(), user),
                c.secret());
        assertEquals(200, r.statusCode(), r.body());
        return user;
    }

    /** The decision on {@code user}'s follow: ROOM_OPENED, or REFUSED with its rule. */
    String decision(String user) {
        AuditRecord[] found = new AuditRecord[1];
        eventually("the decision on the follow of " + user, () -> {
            found[0] = admin.readAll(admin.topics.audit).stream()
                    .filter(a -> user.equals(a.externalUserId()) && (a.kind() == AuditKind.ROOM_OPENED || a.kind() == AuditKind.REFUSED))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0].kind() == AuditKind.ROOM_OPENED ? "ROOM_OPENED" : "REFUSED " + found[0].rule();
    }

    /** Add, reset, new channel, remove: each in force for the very next follow. */
    void byMember() {
        open("BY_MEMBER");
        String m = "fol-" + UUID.randomUUID().toString().substring(0, 8);
        joined(m);
        add(m);
        Channel first = register(m, "16" + System.nanoTime() % 100_000_000L);
        assertEquals("ROOM_OPENED", decision(follow(first)), "member added, channel registered: accepted at once");

        reset(m);
        assertEquals("ROOM_OPENED", decision(follow(first)), "after a reset the member's channel carries the new token");

        Channel second = register(m, "17" + System.nanoTime() % 100_000_000L);
        assertEquals("REFUSED R5", decision(follow(first)), "the replaced channel: refused as a stale URL, and audited");
        assertEquals("ROOM_OPENED", decision(follow(second)), "the new channel: accepted at once");

        remove(m);
        assertEquals("REFUSED R3", decision(follow(second)), "removed from the list: refused");
    }

    String newUnlistedMember() {
        String m = "all-" + UUID.randomUUID().toString().substring(0, 8);
        joined(m);
        return m;
    }
}
