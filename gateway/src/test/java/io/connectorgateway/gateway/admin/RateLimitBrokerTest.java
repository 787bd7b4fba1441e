package io.connectorgateway.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits (Bucket4j): per tenant on the admin API, per LINE channel on the webhooks; 429 with
 * {@code Retry-After} and the usual error shape, counted in {@code gateway_rate_limited_total}; a
 * refused credential or signature never uses up the budget of the tenant or channel it names.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RateLimitBrokerTest {
    static final String SECRET = "rate-limit-line-secret";
    static final String DESTINATION = "U000000000000000000000000000000aa";
    static AdminServer s;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("gateway.rate-limit.admin-capacity", 3);
        p.put("gateway.rate-limit.admin-per-second", 1);
        p.put("gateway.rate-limit.webhook-capacity", 2);
        p.put("gateway.rate-limit.webhook-per-second", 1);
        p.put("gateway.rate-limit.friend-capacity", 3);
        p.put("gateway.rate-limit.friend-per-second", 1);
        p.put("gateway.line.channels.burst.destination", DESTINATION);
        p.put("gateway.line.channels.burst.tenant", "acme");
        p.put("gateway.line.channels.burst.member", "alice");
        p.put("gateway.line.channels.burst.url-token", "tok-burst");
        p.put("gateway.line.channels.burst.secrets", SECRET);
        s = new AdminServer(broker, ns, p);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static int settings(String tenant, String token) {
        return s.call("GET", "/admin/v1/tenants/" + tenant + "/connectors/LINE/settings", token, null).status();
    }

    @Test
    void adminCallsAreLimitedPerTenantWith429AndRetryAfter() throws Exception {
        settings("acme", s.acmeToken); // the first call may wait for the view to start
        Thread.sleep(3_500); // a full bucket: 3 calls at once, then 1 a second
        int ok = 0;
        AdminServer.Answer limited = null;
        long t0 = System.nanoTime();
        for (int i = 0; i < 20 && limited == null; i++) {
            var a = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null);
            if (a.status() == 200) {
                ok++;
            } else {
                limited = a;
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertTrue(limited != null, "no 429 in 20 calls");
        assertTrue(ok >= 3 && ok <= 3 + seconds + 1, ok + " calls went through in " + seconds + " s");
        assertEquals(429, limited.status());
        assertEquals("rate-limited", limited.body().get("error").asText());
        long retry = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 2, "Retry-After " + retry);
        // the budget is the tenant's, whichever of its credentials calls
        assertEquals(429, settings("acme", s.operatorToken));
        assertEquals(429, s.call("GET", "/admin/v1/tenants/acme/audit", s.acmeAuditorToken, null).status());
        // another tenant is not affected, and calls refused before the limit do not use up its budget
        for (int i = 0; i < 10; i++) {
            assertEquals(403, settings("globex", s.acmeToken));
            assertEquals(401, settings("globex", AdminCredentials.newToken()));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, settings("globex", s.globexToken), "globex call " + i);
        }
        Thread.sleep(retry * 1000 + 100);
        assertEquals(200, settings("acme", s.acmeToken), "after Retry-After");
        assertTrue(metric("admin", "none") >= 3, prometheus());
    }

    @Test
    void webhooksAreLimitedPerChannelCountingOnlySignedRequests() throws Exception {
        Thread.sleep(2_000);
        for (int i = 0; i < 10; i++) {
            assertEquals(401, webhook(SECRET + "-forged").statusCode(), "forged signatures are refused as before");
        }
        assertEquals(200, webhook(SECRET).statusCode(), "the forged ones used up nothing");
        assertEquals(200, webhook(SECRET).statusCode());
        HttpResponse<String> limited = webhook(SECRET);
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.body().contains("\"reason\":\"rate-limited\""), limited.body());
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 2, "Retry-After " + retry);
        assertEquals(401, webhook(SECRET + "-forged").statusCode(), "a forged request is still 401, not 429");
        assertTrue(metric("webhook", "line") >= 1, prometheus());
        assertTrue(prometheus().contains("gateway_webhook_rejections_total{connector=\"line\",reason=\"rate-limited\"}"));
        Thread.sleep(retry * 1000 + 100);
        assertEquals(200, webhook(SECRET).statusCode(), "after Retry-After");
    }

    @Test
    void friendUrlVisitsAreLimitedPerTenantAndAMadeUpTenantGetsNoAuditTrail() throws Exception {
        // acme wrote LINE settings: a never-issued token is refused and audited
        var plan = s.call("PUT", "/admin/v1/tenants/acme/plan", s.operatorToken, Map.of("plan", "LITE", "reason", "friend limit test"));
        assertEquals(200, plan.status(), plan.raw().body());
        Thread.sleep(3_500); // a full bucket: 3 visits at once, then 1 a second
        int gone = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<String> r = visit("acme", "never-issued-" + i);
            if (r.statusCode() == 410) {
                gone++;
            } else {
                limited = r;
            }
        }
        assertTrue(limited != null, "no 429 in 20 visits");
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertTrue(gone >= 3 && gone <= 8, gone + " visits answered before the limit");
        assertEquals(410, visit("globex", "never-issued").statusCode(), "another tenant's visitors are not limited by acme's");
        assertTrue(metric("friend", "line") >= 1, prometheus());
        // audited: one REFUSED R5 record per answered visit of acme, none for the limited ones
        int answered = gone;
        AdminServer.eventually("acme's refused visits audited", () -> refusedVisits("acme") == answered);
        // a tenant id nobody set up: 410, and nothing written to its (non-existent) trail
        Thread.sleep(1_100);
        assertEquals(410, visit("made-up-tenant", "whatever").statusCode());
        Thread.sleep(1_000);
        assertEquals(0, refusedVisits("made-up-tenant"), "a made-up tenant gets no audit trail");
    }

    static long refusedVisits(String tenant) {
        return s.readAll(s.topics.auditIntake).stream()
                .filter(a -> a.tenant().equals(tenant) && a.detail() != null && "friend-url-visit".equals(a.detail().get("action")))
                .count();
    }

    static HttpResponse<String> visit(String tenant, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "/friend/" + tenant + "/" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** LINE's connectivity check: a signed webhook without events (200, produces nothing). */
    static HttpResponse<String> webhook(String secret) throws Exception {
        byte[] body = ("{\"destination\":\"" + DESTINATION + "\",\"events\":[]}").getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(body));
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "/webhooks/line/burst"))
                .header("Content-Type", "application/json").header("x-line-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String prometheus() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.managementUrl() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static double metric(String surface, String connector) throws Exception {
        Matcher m = Pattern.compile("gateway_rate_limited_total\\{connector=\"" + connector + "\",surface=\"" + surface
                + "\"} ([0-9.E]+)").matcher(prometheus());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
