package io.connectorgateway.gateway.console;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.gateway.admin.ControlView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * What the members pages' tests set up through the real topics and the admin API: members joining
 * the directory, the connected-members list, a LINE channel with its friend-add link, open rooms;
 * and what they check through the API: a member's current friend-add URL, and where a visit leads.
 */
final class MembersFixture {
    private final AdminServer s;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    MembersFixture(AdminServer s) {
        this.s = s;
    }

    /** {@code tenant} on LITE with {@code connector} allowed, permissions by member. */
    void byMember(String tenant, Connector connector) {
        assertEquals(200, s.call("PUT", "/admin/v1/tenants/" + tenant + "/plan", s.operatorToken,
                Map.of("plan", "LITE", "reason", "contract")).status());
        long version = s.call("GET", settings(tenant, connector), token(tenant), null).body().get("version").asLong();
        assertEquals(200, s.call("PATCH", settings(tenant, connector), token(tenant), Map.of("enabled", true,
                "permissionMode", "BY_MEMBER", "reason", "launch", "expectedVersion", version)).status());
    }

    /** The members join the tenant (directory events), and the view has them. */
    void joined(String tenant, List<String> members) {
        for (String m : members) {
            DirectoryEvent e = DirectoryEvent.of("dir-" + m + "-" + UUID.randomUUID(), tenant, m, DirectoryEvent.Type.JOINED,
                    System.currentTimeMillis());
            s.publish(s.topics.directoryEvents, e.key(), e);
        }
        // the add call answers 422 (R3) until the view has applied the directory
        String last = members.get(members.size() - 1);
        eventually("the directory to know " + last, () -> s.context.getBean(ControlView.class).knownMember(tenant, last));
    }

    /** Puts the members on the connector's list through the admin API. */
    void listed(String tenant, Connector connector, List<String> members) {
        var r = s.call("POST", members(tenant, connector), token(tenant), Map.of("add", members, "reason", "onboarding"));
        assertEquals(200, r.status(), String.valueOf(r.body()));
    }

    /** Ids {@code prefix001}.. {@code prefixN}. */
    static List<String> ids(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("%s%03d", prefix, i)).toList();
    }

    /** Registers a LINE channel with a friend-add link for {@code member}; returns the link. */
    String lineChannel(String tenant, String member, String channelId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channelId", channelId);
        body.put("destination", "U" + UUID.randomUUID().toString().replace("-", ""));
        body.put("friendLink", "https://line.me/R/ti/p/@" + channelId);
        body.put("secrets", List.of("sec" + UUID.randomUUID().toString().replace("-", "")));
        body.put("accessToken", "tok" + UUID.randomUUID().toString().replace("-", ""));
        body.put("reason", "onboarding " + member);
        var r = s.call("PUT", "/admin/v1/tenants/" + tenant + "/connectors/LINE/members/" + member + "/channel", token(tenant), body);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return "https://line.me/R/ti/p/@" + channelId;
    }

    /** Opens a room of {@code member} with {@code user} (the policy stream's room command). */
    void opened(String tenant, Connector c, String member, String user) {
        String room = Ids.roomId(Ids.pairKey(tenant, c, member, user), "add-" + user);
        s.publish(tenant, s.topics.rooms, room, new RoomCommand(1, "open-" + room, RoomCommand.Action.OPENED, tenant, c, room,
                member, user, RoomCommand.Reason.FRIEND_ADDED, 2, "add-" + user, System.currentTimeMillis()));
    }

    /** The connector's list as the admin API gives it: member id to the member's row. */
    Map<String, JsonNode> listing(String tenant, Connector connector) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        s.call("GET", members(tenant, connector), token(tenant), null).body().get("members")
                .forEach(m -> out.put(m.get("memberId").asText(), m));
        return out;
    }

    /** The member's current friend-add URL token (LINE), from the admin API. */
    String token(String tenant, String member) {
        JsonNode m = listing(tenant, Connector.LINE).get(member);
        return m == null || m.get("urlToken").isNull() ? null : m.get("urlToken").asText();
    }

    /** A visit of the gateway's friend-add URL with {@code token}: its status and where it leads. */
    HttpResponse<String> visit(String tenant, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(s.url().replaceAll("/$", "") + "/friend/" + tenant + "/" + token))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String token(String tenant) {
        return tenant.equals(AdminServer.ACME) ? s.acmeToken : s.globexToken;
    }

    static String settings(String tenant, Connector c) {
        return "/admin/v1/tenants/" + tenant + "/connectors/" + c.name() + "/settings";
    }

    static String members(String tenant, Connector c) {
        return "/admin/v1/tenants/" + tenant + "/connectors/" + c.name() + "/members";
    }
}
