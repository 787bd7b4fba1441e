package io.connectorgateway.gateway.hostile;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.gateway.hostile.WebhookCorpus.Endpoint;
import io.connectorgateway.gateway.hostile.WebhookCorpus.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The channels registered as data for the hostile suite, through the admin API as an operator would
 * (gateway/ADMIN.md, "Channels"), on two tenants of their own so that {@code acme} keeps nothing
 * written:
 * <ul>
 *   <li>{@value #A} / {@value #ANN}: LINE channel {@value #A_LINE} (registered with {@link #aOldSecret},
 *       rotated to {@link #aSecret}, the old secret then removed: a retired secret), WORKS bot
 *       {@value #A_BOT}, and a friend-add URL that was reset once ({@link #annStaleToken} is stale);</li>
 *   <li>{@value #A} / {@value #REX}: LINE channel {@value #A_RETIRED_LINE} and WORKS bot
 *       {@value #A_RETIRED_BOT}, both retired;</li>
 *   <li>{@value #A} / {@value #DEE}: a known member with no channel (target of the channel admin corpus);</li>
 *   <li>{@value #B} / {@value #UMA}: LINE channel {@value #B_LINE} and WORKS bot {@value #B_BOT}, with
 *       secrets of their own, and a current friend-add URL.</li>
 * </ul>
 * Secrets and access tokens are random per run (never in code) and listed in {@link #secrets()}: the
 * suite checks that none of them is ever in an answer, a log line or in clear on a topic.
 */
final class Registered {
    static final String A = "initech";
    static final String B = "umbrella";
    static final String ANN = "ann";
    static final String REX = "rex";
    static final String DEE = "dee";
    static final String UMA = "uma";
    static final String A_LINE = "1650000001";
    static final String A_RETIRED_LINE = "1650000002";
    static final String A_BOT = "5000001";
    static final String A_RETIRED_BOT = "5000002";
    static final String B_LINE = "1650000901";
    static final String B_BOT = "6000001";
    static final String A_DEST = "U" + "a".repeat(32);
    static final String A_RETIRED_DEST = "U" + "e".repeat(32);
    static final String B_DEST = "U" + "b".repeat(32);
    static final String FRIEND_LINK = "https://line.me/R/ti/p/@initech-ann";

    final String aOldSecret = secret();
    final String aSecret = secret();
    final String aAccessToken = secret();
    final String aWorksSecret = secret();
    final String retiredSecret = secret();
    final String retiredWorksSecret = secret();
    final String bSecret = secret();
    final String bAccessToken = secret();
    final String bWorksSecret = secret();
    /** ann's friend-add token before the reset, and after it (current). */
    String annStaleToken;
    String annToken;
    /** uma's current friend-add token (tenant B). */
    String umaToken;
    /** The audit ids of the setup's CHANNEL_CHANGED records (and the reset's), linked into connector.audit before the corpus. */
    Set<String> setupAuditIds;

    private final AdminServer server;

    private Registered(AdminServer server) {
        this.server = server;
    }

    static String secret() {
        return "hs" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Registers, rotates, retires and resets as described above, then waits for the audit chain to take it all in. */
    static Registered setUp(AdminServer server) {
        Registered r = new Registered(server);
        for (String[] m : new String[][] {{A, ANN}, {A, REX}, {A, DEE}, {B, UMA}}) {
            var e = DirectoryEvent.of("hostile-dir-" + m[1] + "-" + UUID.randomUUID(), m[0], m[1], DirectoryEvent.Type.JOINED,
                    System.currentTimeMillis());
            server.publish(server.topics.directoryEvents, e.key(), e);
        }
        r.register(A, "LINE", ANN, A_LINE, A_DEST, FRIEND_LINK, r.aOldSecret, r.aAccessToken);
        r.ok("POST", channel(A, "LINE", ANN) + ":rotate", Map.of("addSecret", r.aSecret, "reason", "hostile setup: rotate"));
        r.annStaleToken = r.token(A, ANN);
        r.ok("POST", channel(A, "LINE", ANN) + ":rotate", Map.of("removeSecret", ChannelSecrets.fingerprint(r.aOldSecret),
                "reason", "hostile setup: rotation done"));
        r.register(A, "WORKS", ANN, A_BOT, null, null, r.aWorksSecret, null);
        r.register(A, "LINE", REX, A_RETIRED_LINE, A_RETIRED_DEST, null, r.retiredSecret, null);
        r.register(A, "WORKS", REX, A_RETIRED_BOT, null, null, r.retiredWorksSecret, null);
        r.ok("POST", channel(A, "LINE", REX) + ":retire", Map.of("reason", "hostile setup: left"));
        r.ok("POST", channel(A, "WORKS", REX) + ":retire", Map.of("reason", "hostile setup: left"));
        r.register(B, "LINE", UMA, B_LINE, B_DEST, "https://line.me/R/ti/p/@umbrella-uma", r.bSecret, r.bAccessToken);
        r.register(B, "WORKS", UMA, B_BOT, null, null, r.bWorksSecret, null);
        r.ok("POST", "/admin/v1/tenants/" + A + "/connectors/LINE/members:reset-urls",
                Map.of("members", List.of(ANN), "reason", "hostile setup: reset"));
        r.annToken = r.token(A, ANN);
        r.umaToken = r.token(B, UMA);
        if (r.annToken.equals(r.annStaleToken)) {
            throw new AssertionError("the reset did not change ann's friend-add token");
        }
        // the setup's audit records, linked into the chain: afterwards, connector.audit may hold only these
        // and the chain's links of the corpus's own (friend-URL visits)
        List<AuditRecord> intake = server.readAll(server.topics.auditIntake);
        r.setupAuditIds = intake.stream().map(AuditRecord::auditId).collect(Collectors.toSet());
        eventually("the setup's audit records on connector.audit", () -> server.readAll(server.topics.audit).stream()
                .map(AuditRecord::auditId).collect(Collectors.toSet()).containsAll(r.setupAuditIds));
        return r;
    }

    static String channel(String tenant, String connector, String member) {
        return "/admin/v1/tenants/" + tenant + "/connectors/" + connector + "/members/" + member + "/channel";
    }

    private void register(String tenant, String connector, String member, String channelId, String destination, String friendLink,
                          String secret, String accessToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channelId", channelId);
        if (destination != null) {
            body.put("destination", destination);
        }
        if (friendLink != null) {
            body.put("friendLink", friendLink);
        }
        body.put("secrets", List.of(secret));
        if (accessToken != null) {
            body.put("accessToken", accessToken);
        }
        body.put("reason", "hostile setup: onboarding " + member);
        AdminServer.Answer[] last = new AdminServer.Answer[1];
        // the directory event reaches the view asynchronously: 422 (R3) until it has
        eventually("member " + member + " of " + tenant + " to be known", () -> (last[0] = server.call("PUT",
                channel(tenant, connector, member), server.operatorToken, body)).status() != 422);
        if (last[0].status() != 200) {
            throw new AssertionError("registering " + connector + " " + channelId + " answered " + last[0].status() + " " + last[0].body());
        }
    }

    private JsonNode ok(String method, String path, Object body) {
        AdminServer.Answer a = server.call(method, path, server.operatorToken, body);
        if (a.status() != 200) {
            throw new AssertionError(method + " " + path + " answered " + a.status() + " " + a.body());
        }
        return a.body();
    }

    /** The member's current friend-add token. */
    private String token(String tenant, String member) {
        for (JsonNode m : ok("GET", "/admin/v1/tenants/" + tenant + "/connectors/LINE/members?all=true", null).path("members")) {
            if (member.equals(m.path("memberId").asText())) {
                return m.path("urlToken").asText();
            }
        }
        throw new AssertionError("no friend-add URL for " + member + " of " + tenant);
    }

    /** tenant A's LINE channel at its tenant-scoped webhook URL, signed with its current secret. */
    Endpoint aLine() {
        return new Endpoint(Platform.LINE, "/webhooks/line/" + A + "/" + A_LINE, aSecret, A_DEST, null);
    }

    /** tenant A's WORKS bot at its tenant-scoped webhook URL. */
    Endpoint aWorks() {
        return new Endpoint(Platform.WORKS, "/webhooks/works/" + A, aWorksSecret, null, A_BOT);
    }

    Endpoint bLine() {
        return new Endpoint(Platform.LINE, "/webhooks/line/" + B + "/" + B_LINE, bSecret, B_DEST, null);
    }

    Endpoint bWorks() {
        return new Endpoint(Platform.WORKS, "/webhooks/works/" + B, bWorksSecret, null, B_BOT);
    }

    /** Every secret and access token registered by the setup. */
    List<String> secrets() {
        return new ArrayList<>(List.of(aOldSecret, aSecret, aAccessToken, aWorksSecret, retiredSecret, retiredWorksSecret, bSecret,
                bAccessToken, bWorksSecret));
    }
}
