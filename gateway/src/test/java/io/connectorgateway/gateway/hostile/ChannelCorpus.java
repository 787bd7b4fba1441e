package io.connectorgateway.gateway.hostile;

import static io.connectorgateway.gateway.hostile.HostileCase.admin;
import static io.connectorgateway.gateway.hostile.HostileCase.rule;
import static io.connectorgateway.gateway.hostile.HostileCase.webhook;
import static io.connectorgateway.gateway.hostile.Registered.A;
import static io.connectorgateway.gateway.hostile.Registered.B;

import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.gateway.hostile.HostileCase.Expect;
import io.connectorgateway.gateway.hostile.HostileCase.FriendRefused;
import io.connectorgateway.gateway.hostile.HostileCase.Ignored;
import io.connectorgateway.gateway.hostile.HostileCase.Request;
import io.connectorgateway.gateway.webhook.Secrets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Hostile requests against the surfaces of the channel registry as data ({@link Registered}): the
 * tenant-scoped webhook URLs across tenants (another tenant's secret, channel or bot; a retired
 * secret, channel or bot; unknown tenants and ids; odd spellings of the tenant and the channel id in
 * the path; destination mismatch), the channel admin calls (register, rotate, retire with malformed,
 * mistyped, unknown or rule-breaking bodies), and the friend-add URLs (stale, unknown, garbled,
 * another tenant's tokens; odd paths; other methods). The body corpus of {@link WebhookCorpus} runs
 * against the registered URLs as well (see {@link WebhookCorpus#generate(long, WebhookCorpus.Endpoint, WebhookCorpus.Endpoint)}).
 *
 * <p>Every secret a case sends is added to {@code secrets}: none may come back in an answer.
 */
final class ChannelCorpus {
    private static final String JSON = "application/json; charset=utf-8";
    /** A request sent when the body is "recent": inside the freshness window, so only the refusal under test can stop it. */
    private static final long RECENT = System.currentTimeMillis() - 3_600_000L;

    private final HostileGateway gateway;
    private final Registered r;
    private final Random random;
    private final Set<String> secrets;
    private final List<HostileCase> cases = new ArrayList<>();

    private ChannelCorpus(HostileGateway gateway, long seed, Set<String> secrets) {
        this.gateway = gateway;
        this.r = gateway.registered;
        this.random = new Random(seed);
        this.secrets = secrets;
    }

    /** @param secrets receives every secret the cases send (answers must never show one) */
    static List<HostileCase> generate(HostileGateway gateway, long seed, Set<String> secrets) {
        ChannelCorpus c = new ChannelCorpus(gateway, seed, secrets);
        c.acrossTenants();
        c.oddPaths();
        c.register();
        c.rotateAndRetire();
        c.channelPathsMethodsAndSizes();
        c.friendUrls();
        return c.cases;
    }

    private void add(String category, String name, Request request, Expect expect) {
        cases.add(new HostileCase(category, name, request, expect));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh random secret, remembered as one that must never be echoed. */
    private String secret() {
        String s = "hx" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        secrets.add(s);
        return s;
    }

    // ---------------------------------------------------------------- webhooks

    private String lineBody(String destination) {
        return "{\"destination\":\"" + destination + "\",\"events\":[{\"type\":\"message\",\"message\":{\"type\":\"text\",\"id\":\""
                + (100000000L + random.nextInt(900000000)) + "\",\"text\":\"hello\"},\"webhookEventId\":\"01HX" + random.nextInt(1_000_000)
                + "\",\"timestamp\":" + RECENT + ",\"source\":{\"type\":\"user\",\"userId\":\"U" + "c".repeat(32)
                + "\"},\"replyToken\":\"rt\",\"mode\":\"active\"}]}";
    }

    private String worksBody() {
        return "{\"type\":\"message\",\"source\":{\"userId\":\"" + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) random.nextInt()})
                + "\",\"domainId\":10000001},\"issuedTime\":\"" + java.time.Instant.ofEpochMilli(RECENT)
                + "\",\"content\":{\"type\":\"text\",\"text\":\"hello\"}}";
    }

    private static Request line(String path, String body, String secret) {
        return Request.post(path, utf8(body), "Content-Type", JSON, "x-line-signature", Secrets.signature(secret, utf8(body)));
    }

    private static Request works(String path, String botId, String body, String secret) {
        return Request.post(path, utf8(body), "Content-Type", JSON, "X-WORKS-BotId", botId, "X-WORKS-Signature",
                Secrets.signature(secret, utf8(body)));
    }

    private void acrossTenants() {
        String cat = "registered webhook: across tenants, retired and unknown senders";
        String aPath = "/webhooks/line/" + A + "/" + Registered.A_LINE;
        String aBody = lineBody(Registered.A_DEST);
        add(cat, "line: A's channel signed with tenant B's channel secret", line(aPath, aBody, r.bSecret), webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with B's access token", line(aPath, aBody, r.bAccessToken), webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with its own access token", line(aPath, aBody, r.aAccessToken), webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with its secret retired by rotation", line(aPath, aBody, r.aOldSecret),
                webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with the retired channel's secret", line(aPath, aBody, r.retiredSecret),
                webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with A's WORKS bot secret", line(aPath, aBody, r.aWorksSecret), webhook(401, "bad-signature"));
        add(cat, "line: A's channel signed with the configured channel's secret", line(aPath, aBody, HostileGateway.LINE_SECRET),
                webhook(401, "bad-signature"));
        add(cat, "line: B's channel id under A's path, signed by B", line("/webhooks/line/" + A + "/" + Registered.B_LINE,
                lineBody(Registered.B_DEST), r.bSecret), webhook(401, "unknown-channel"));
        add(cat, "line: A's channel id under B's path, signed by A", line("/webhooks/line/" + B + "/" + Registered.A_LINE, aBody,
                r.aSecret), webhook(401, "unknown-channel"));
        add(cat, "line: A's channel id under acme's path", line("/webhooks/line/" + HostileGateway.ACME + "/" + Registered.A_LINE, aBody,
                r.aSecret), webhook(401, "unknown-channel"));
        add(cat, "line: A's channel id under an unknown tenant", line("/webhooks/line/nosuchtenant/" + Registered.A_LINE, aBody,
                r.aSecret), webhook(401, "unknown-channel"));
        add(cat, "line: an unknown channel id of A", line("/webhooks/line/" + A + "/1650009999", aBody, r.aSecret),
                webhook(401, "unknown-channel"));
        add(cat, "line: A's WORKS bot id as a LINE channel id", line("/webhooks/line/" + A + "/" + Registered.A_BOT, aBody,
                r.aWorksSecret), webhook(401, "unknown-channel"));
        add(cat, "line: the configured channel's name under a tenant path", line("/webhooks/line/" + HostileGateway.ACME + "/"
                + HostileGateway.LINE_CHANNEL, lineBody(HostileGateway.LINE_DESTINATION), HostileGateway.LINE_SECRET),
                webhook(401, "unknown-channel"));
        add(cat, "line: A's registered channel id at the configured-channel path", line("/webhooks/line/" + Registered.A_LINE, aBody,
                r.aSecret), webhook(401, "unknown-channel"));
        for (String[] d : new String[][] {{"tenant B's", Registered.B_DEST}, {"the retired channel's", Registered.A_RETIRED_DEST},
                {"the configured channel's", HostileGateway.LINE_DESTINATION}, {"an unknown", "U" + "f".repeat(32)}}) {
            add(cat, "line: A's channel, signed by A, " + d[0] + " destination", line(aPath, lineBody(d[1]), r.aSecret),
                    webhook(401, "destination-mismatch"));
        }
        String retiredPath = "/webhooks/line/" + A + "/" + Registered.A_RETIRED_LINE;
        add(cat, "line: the retired channel signed with A's current secret", line(retiredPath, lineBody(Registered.A_RETIRED_DEST),
                r.aSecret), webhook(401, "bad-signature"));
        // a retired LINE channel is still recognised (its follows become friend-adds through a URL
        // never issued, refused by the policy stream): a signed connectivity check is acknowledged
        add(cat, "line: the retired channel's own signed connectivity check: acknowledged, nothing produced", line(retiredPath,
                "{\"destination\":\"" + Registered.A_RETIRED_DEST + "\",\"events\":[]}", r.retiredSecret), new Ignored(0));

        String aWorks = "/webhooks/works/" + A;
        String w = worksBody();
        add(cat, "works: A's bot signed with B's bot secret", works(aWorks, Registered.A_BOT, w, r.bWorksSecret),
                webhook(401, "bad-signature"));
        add(cat, "works: A's bot signed with A's LINE secret", works(aWorks, Registered.A_BOT, w, r.aSecret),
                webhook(401, "bad-signature"));
        add(cat, "works: A's bot signed with the configured bot's secret", works(aWorks, Registered.A_BOT, w, HostileGateway.WORKS_SECRET),
                webhook(401, "bad-signature"));
        add(cat, "works: B's bot under A's path, signed by B", works(aWorks, Registered.B_BOT, w, r.bWorksSecret),
                webhook(401, "unknown-bot"));
        add(cat, "works: A's bot under B's path, signed by A", works("/webhooks/works/" + B, Registered.A_BOT, w, r.aWorksSecret),
                webhook(401, "unknown-bot"));
        add(cat, "works: A's bot under an unknown tenant", works("/webhooks/works/nosuchtenant", Registered.A_BOT, w, r.aWorksSecret),
                webhook(401, "unknown-bot"));
        add(cat, "works: the retired bot, signed with its own secret", works(aWorks, Registered.A_RETIRED_BOT, w, r.retiredWorksSecret),
                webhook(401, "unknown-bot", "retired"));
        add(cat, "works: the configured bot id under a tenant path", works("/webhooks/works/" + HostileGateway.ACME,
                HostileGateway.WORKS_BOT_ID, w, HostileGateway.WORKS_SECRET), webhook(401, "unknown-bot"));
        add(cat, "works: A's registered bot at the configured path", works("/webhooks/works", Registered.A_BOT, w, r.aWorksSecret),
                webhook(401, "unknown-bot"));
        add(cat, "works: A's LINE channel id as bot id", works(aWorks, Registered.A_LINE, w, r.aSecret), webhook(401, "unknown-bot"));
        for (String bot : List.of("5000001,5000001", "05000001", "5000001x", "x".repeat(300), "..", "5000001%00")) {
            add(cat, "works: bot id header '" + (bot.length() > 40 ? bot.substring(0, 10) + "...(" + bot.length() + ")" : bot) + "'",
                    works(aWorks, bot, w, r.aWorksSecret), webhook(401, "unknown-bot"));
        }
    }

    /** Odd spellings of {tenant} and {channelId}: never a 5xx, never another tenant's channel, nothing written. */
    private void oddPaths() {
        String cat = "registered webhook: odd tenant and channel ids in the path";
        String body = lineBody(Registered.A_DEST);
        String w = worksBody();
        // what each spelling is in the path, and what it must get: the tenant or channel id is unknown
        // (401), or not an id at all (400 from the tenant check), or the route does not exist (404)
        Object[][] tenants = {
                {"..", webhook(401, "unknown-channel")},
                {"%2E%2E", webhook(401, "unknown-channel")},
                {".", webhook(401, "unknown-channel")},
                {"INITECH", webhook(401, "unknown-channel")},
                {"initech%2F..", admin(400, "bad-request", "tenant")},
                {"..%2Finitech", admin(400, "bad-request", "tenant")},
                {"%2F", admin(400, "bad-request", "tenant")},
                {"initech%20", admin(400, "bad-request", "tenant")},
                {"%20initech", admin(400, "bad-request", "tenant")},
                {"initech%00", admin(400, "bad-request", "tenant")},
                {"initech%0A", admin(400, "bad-request", "tenant")},
                {"%E3%81%82", admin(400, "bad-request", "tenant")},
                {"initech%E3%81%82", admin(400, "bad-request", "tenant")},
                {"initech%3Bx=1", admin(400, "bad-request", "tenant")},
                {"initech%252F", admin(400, "bad-request", "tenant")},
                {"x".repeat(129), admin(400, "bad-request", "tenant")},
                {"x".repeat(2000), admin(400, "bad-request", "tenant")},
        };
        for (Object[] t : tenants) {
            String tenant = (String) t[0];
            Expect e = (Expect) t[1];
            String shown = tenant.length() > 40 ? tenant.substring(0, 10) + "...(" + tenant.length() + ")" : tenant;
            add(cat, "line tenant '" + shown + "'", line("/webhooks/line/" + tenant + "/" + Registered.A_LINE, body, r.aSecret), e);
            Expect we = e instanceof HostileCase.Refused ref && "reason".equals(ref.field()) ? webhook(401, "unknown-bot") : e;
            add(cat, "works tenant '" + shown + "'", works("/webhooks/works/" + tenant, Registered.A_BOT, w, r.aWorksSecret), we);
        }
        add(cat, "line empty tenant", line("/webhooks/line//" + Registered.A_LINE, body, r.aSecret), HostileCase.http(404));
        add(cat, "works empty tenant (trailing slash)", works("/webhooks/works/", Registered.A_BOT, w, r.aWorksSecret),
                webhook(401, "unknown-bot"));
        Object[] channels = {"..", "%2E%2E", ".", "1650000001%2F..", "..%2F1650000001", "%2F", "1650000001%20", "%201650000001",
                "1650000001%00", "1650000001%0A", "%E3%81%82", "1650000001%E3%81%82", "1650000001%3Bx=1", "1650000001%252F",
                "x".repeat(129), "x".repeat(2000), Registered.A_LINE + "0", "0" + Registered.A_LINE};
        for (Object c : channels) {
            String channel = (String) c;
            String shown = channel.length() > 40 ? channel.substring(0, 10) + "...(" + channel.length() + ")" : channel;
            add(cat, "line channel id '" + shown + "'", line("/webhooks/line/" + A + "/" + channel, body, r.aSecret),
                    webhook(401, "unknown-channel"));
        }
        add(cat, "line channel id and tenant swapped", line("/webhooks/line/" + Registered.A_LINE + "/" + A, body, r.aSecret),
                webhook(401, "unknown-channel"));
        add(cat, "line one segment too many", line("/webhooks/line/" + A + "/" + Registered.A_LINE + "/x", body, r.aSecret),
                HostileCase.http(404));
        add(cat, "works one segment too many", works("/webhooks/works/" + A + "/x", Registered.A_BOT, w, r.aWorksSecret),
                HostileCase.http(404));
    }

    // ---------------------------------------------------------------- channel admin

    private String dee(String connector) {
        return Registered.channel(A, connector, Registered.DEE);
    }

    private String ann(String connector) {
        return Registered.channel(A, connector, Registered.ANN);
    }

    private Request op(String method, String path, String body) {
        return AdminCorpus.call(method, path, gateway.operatorToken(), body == null ? null : utf8(body));
    }

    /** A valid registration of dee's LINE channel, with {@code secret}: what each case breaks. */
    private static String registration(String secret) {
        return "{\"channelId\":\"1650000050\",\"destination\":\"U" + "d".repeat(32) + "\",\"friendLink\":\"https://line.me/R/ti/p/@dee\","
                + "\"secrets\":[\"" + secret + "\"],\"reason\":\"onboarding\"}";
    }

    private void register() {
        String cat = "admin: channel registration bodies";
        String put = dee("LINE");
        String valid = registration(secret());
        // every strict prefix: each cuts the body somewhere, also inside the secret
        for (int len = 1; len < valid.length(); len++) {
            add(cat, "register first " + len + " of " + valid.length() + " chars", op("PUT", put, valid.substring(0, len)),
                    admin(400, "bad-request"));
        }
        String s = secret();
        String v = registration(s);
        String inner = v.substring(1, v.length() - 1);
        String[][] malformed = {
                {"empty body", ""}, {"null", "null"}, {"array", "[" + v + "]"}, {"string", "\"" + s + "\""}, {"number", "42"},
                {"trailing garbage", v + "x"}, {"two documents", v + v}, {"trailing comma", "{" + inner + ",}"},
                {"comment", "{/*c*/" + inner + "}"},
                {"secret unquoted", v.replace("\"" + s + "\"", s)},
                {"secret in single quotes", v.replace("\"" + s + "\"", "'" + s + "'")},
                {"secret unterminated", v.replace("\"" + s + "\"]", "\"" + s + "]")},
                {"secret with a raw control character", v.replace(s, s + "\u0001")},
                {"secret with a bad escape", v.replace(s, s + "\\x41")},
                {"secrets given twice", v.replace("\"secrets\"", "\"secrets\":[\"" + secret() + "\"],\"secrets\"")},
                {"nesting depth 10000 in secrets", v.replace("[\"" + s + "\"]", "[".repeat(10_000) + "]".repeat(10_000))},
        };
        for (String[] m : malformed) {
            add(cat, "register " + m[0], op("PUT", put, m[1]), admin(400, "bad-request"));
        }
        ByteArrayOutputStream badUtf8 = new ByteArrayOutputStream();
        badUtf8.writeBytes(utf8(v.substring(0, v.indexOf(s) + 4)));
        badUtf8.write(0xC0);
        badUtf8.write(0xAF);
        badUtf8.writeBytes(utf8(v.substring(v.indexOf(s) + 4)));
        add(cat, "register invalid UTF-8 inside the secret", AdminCorpus.call("PUT", put, gateway.operatorToken(), badUtf8.toByteArray()),
                admin(400, "bad-request", "UTF-8"));
        String[][] unknownFields = {
                {"secret (singular)", "\"secret\":\"" + secret() + "\""}, {"channelSecret", "\"channelSecret\":\"" + secret() + "\""},
                {"secretFingerprints", "\"secretFingerprints\":[\"sha256:0000000000000000\"]"}, {"sealed", "\"sealed\":{}"},
                {"tenant", "\"tenant\":\"" + B + "\""}, {"memberId", "\"memberId\":\"" + Registered.ANN + "\""},
                {"status", "\"status\":\"ACTIVE\""}, {"version", "\"version\":7"}, {"previous", "\"previous\":[]"},
                {"connector", "\"connector\":\"WORKS\""}, {"@class gadget", "\"@class\":\"java.lang.Runtime\""},
                {"@type gadget", "\"@type\":\"com.sun.rowset.JdbcRowSetImpl\""}};
        for (String[] f : unknownFields) {
            add(cat, "register unknown field " + f[0], op("PUT", put, "{" + f[1] + "," + registration(secret()).substring(1)),
                    admin(400, "bad-request", "unknown field"));
        }
        String t = secret();
        String[][] wrongTypes = {
                {"secrets as a string", "\"secrets\":\"" + t + "\""}, {"secrets with a number", "\"secrets\":[1234567890123]"},
                {"secrets with a boolean", "\"secrets\":[true]"}, {"secrets with an object", "\"secrets\":[{\"value\":\"" + t + "\"}]"},
                {"secrets nested", "\"secrets\":[[\"" + t + "\"]]"}, {"secrets as an object", "\"secrets\":{\"a\":\"" + t + "\"}"},
                {"channelId as a number", "\"channelId\":1650000050"}, {"destination as a number", "\"destination\":1"},
                {"friendLink as an array", "\"friendLink\":[\"https://line.me/R/ti/p/@dee\"]"},
                {"accessToken as a number", "\"accessToken\":12345678901234567890"},
                {"expectedVersion as a string", "\"expectedVersion\":\"0\""}, {"expectedVersion fractional", "\"expectedVersion\":0.5"},
                {"reason as a number", "\"reason\":42"}};
        for (String[] f : wrongTypes) {
            String field = f[1].substring(1, f[1].indexOf('"', 1));
            String body = registration(secret()).replaceFirst("\"" + field + "\":(\\[[^\\]]*\\]|\"[^\"]*\"|[0-9]+),?", "");
            body = "{" + f[1] + (body.length() > 2 ? "," : "") + body.substring(1);
            add(cat, "register " + f[0], op("PUT", put, body), admin(400, "bad-request"));
        }
        String[][] badSecrets = {
                {"no secrets", "[]", "at least one"}, {"secrets null", "null", "at least one"}, {"a null secret", "[null]", null},
                {"an empty secret", "[\"\"]", "secret"}, {"a blank secret", "[\"   \"]", "secret"},
                {"a secret with a leading blank", "[\" " + secret() + "\"]", "secret"},
                {"a secret with a trailing newline", "[\"" + secret() + "\\n\"]", "secret"},
                {"a secret of 4097 characters", "[\"" + "k".repeat(4097) + "\"]", "4096"},
                {"a secret of 300,000 characters", "[\"" + "k".repeat(300_000) + "\"]", null},
                {"three secrets", "[\"" + secret() + "\",\"" + secret() + "\",\"" + secret() + "\"]", "two"},
                {"the same secret twice", "[\"" + t + "\",\"" + t + "\"]", "same"},
                {"a valid and a null secret", "[\"" + secret() + "\",null]", null}};
        for (String[] b : badSecrets) {
            String body = registration("X").replace("[\"X\"]", b[1]);
            add(cat, "register " + b[0], op("PUT", put, body), admin(400, "bad-request", b[2]));
        }
        String[][] badValues = {
                {"no channelId", "\"channelId\":\"1650000050\",", "", "channelId"},
                {"empty channelId", "\"channelId\":\"1650000050\"", "\"channelId\":\"\"", "channelId"},
                {"channelId with a slash", "\"channelId\":\"1650000050\"", "\"channelId\":\"1650000050/..\"", "channelId"},
                {"channelId with a space", "\"channelId\":\"1650000050\"", "\"channelId\":\"1650000050 \"", "channelId"},
                {"channelId of 129 characters", "\"channelId\":\"1650000050\"", "\"channelId\":\"" + "1".repeat(129) + "\"", "channelId"},
                {"channelId non-ASCII", "\"channelId\":\"1650000050\"", "\"channelId\":\"\u3042\"", "channelId"},
                {"no destination", "\"destination\":\"U" + "d".repeat(32) + "\",", "", "destination"},
                {"destination with a colon", "\"destination\":\"U" + "d".repeat(32) + "\"", "\"destination\":\"U:1\"", "destination"},
                {"friendLink over http", "\"friendLink\":\"https://line.me/R/ti/p/@dee\"", "\"friendLink\":\"http://line.me/R/ti/p/@dee\"", "https"},
                {"friendLink javascript:", "\"friendLink\":\"https://line.me/R/ti/p/@dee\"", "\"friendLink\":\"javascript:alert(1)\"", "https"},
                {"friendLink not a URL", "\"friendLink\":\"https://line.me/R/ti/p/@dee\"", "\"friendLink\":\"https://exa mple/\\u0000\"", "friendLink"},
                {"friendLink of 600 characters", "\"friendLink\":\"https://line.me/R/ti/p/@dee\"",
                        "\"friendLink\":\"https://line.me/" + "a".repeat(600) + "\"", "512"},
                {"an empty accessToken", "\"reason\"", "\"accessToken\":\"\",\"reason\"", "accessToken"},
                {"an accessToken of 4097 characters", "\"reason\"", "\"accessToken\":\"" + "t".repeat(4097) + "\",\"reason\"", "accessToken"}};
        for (String[] b : badValues) {
            String body = registration(secret()).replace(b[1], b[2]);
            add(cat, "register " + b[0], op("PUT", put, body), admin(400, "bad-request", b[3]));
        }
        String ok = registration(secret());
        add(cat, "register without reason", op("PUT", put, ok.replace(",\"reason\":\"onboarding\"", "")), rule("R10", "reason"));
        add(cat, "register with a blank reason", op("PUT", put, ok.replace("\"onboarding\"", "\"  \"")), rule("R10", "reason"));
        add(cat, "register with a reason of 1001 characters", op("PUT", put, ok.replace("\"onboarding\"", "\"" + "r".repeat(1001) + "\"")),
                rule("R10", "1000"));
        add(cat, "register another member's channel id (ann's)", op("PUT", put, ok.replace("1650000050", Registered.A_LINE)),
                rule("R5", Registered.ANN));
        add(cat, "register another member's retired channel id (rex's)", op("PUT", put, ok.replace("1650000050",
                Registered.A_RETIRED_LINE)), rule("R5", Registered.REX));
        add(cat, "register with a stale expectedVersion", op("PUT", put, ok.replace("\"reason\"", "\"expectedVersion\":3,\"reason\"")),
                admin(409, "conflict", "version 0"));
        add(cat, "register for a member the directory does not know", op("PUT", Registered.channel(A, "LINE", "ghost"), ok),
                rule("R3", "ghost"));
        add(cat, "register for a member of tenant B under A", op("PUT", Registered.channel(A, "LINE", Registered.UMA), ok),
                rule("R3", Registered.UMA));
        String bot = "{\"channelId\":\"5000050\",\"secrets\":[\"" + secret() + "\"],\"reason\":\"bot\"}";
        add(cat, "register a WORKS bot with a destination", op("PUT", dee("WORKS"), bot.replace("\"reason\"",
                "\"destination\":\"U" + "d".repeat(32) + "\",\"reason\"")), admin(400, "bad-request", "WORKS"));
        add(cat, "register a WORKS bot with a friendLink", op("PUT", dee("WORKS"), bot.replace("\"reason\"",
                "\"friendLink\":\"https://line.me/R/ti/p/@dee\",\"reason\"")), admin(400, "bad-request", "WORKS"));
        add(cat, "register a WORKS bot with an accessToken", op("PUT", dee("WORKS"), bot.replace("\"reason\"",
                "\"accessToken\":\"" + secret() + "\",\"reason\"")), admin(400, "bad-request", "WORKS"));
        add(cat, "register another member's WORKS bot id (ann's)", op("PUT", dee("WORKS"), bot.replace("5000050", Registered.A_BOT)),
                rule("R5", Registered.ANN));
        add(cat, "register a WORKS bot with three secrets", op("PUT", dee("WORKS"), bot.replace("]", ",\"" + secret() + "\",\""
                + secret() + "\"]")), admin(400, "bad-request", "two"));
    }

    private void rotateAndRetire() {
        String cat = "admin: channel rotation and retirement bodies";
        String rotate = ann("LINE") + ":rotate";
        String s = secret();
        String[][] malformed = {
                {"empty body", ""}, {"null", "null"}, {"array", "[]"},
                {"addSecret unquoted", "{\"addSecret\":" + s + ",\"reason\":\"r\"}"},
                {"addSecret in single quotes", "{\"addSecret\":'" + s + "',\"reason\":\"r\"}"},
                {"addSecret unterminated", "{\"addSecret\":\"" + s + ",\"reason\":\"r\"}"},
                {"addSecret cut off", "{\"addSecret\":\"" + s},
                {"addSecret twice", "{\"addSecret\":\"" + s + "\",\"addSecret\":\"" + secret() + "\",\"reason\":\"r\"}"},
                {"trailing garbage", "{\"addSecret\":\"" + s + "\",\"reason\":\"r\"}" + s}};
        for (String[] m : malformed) {
            add(cat, "rotate " + m[0], op("POST", rotate, m[1]), admin(400, "bad-request"));
        }
        String[][] wrong = {
                {"unknown field secrets", "{\"secrets\":[\"" + secret() + "\"],\"reason\":\"r\"}", "unknown field"},
                {"unknown field secret", "{\"secret\":\"" + secret() + "\",\"reason\":\"r\"}", "unknown field"},
                {"unknown field channelId", "{\"channelId\":\"1650000099\",\"reason\":\"r\"}", "unknown field"},
                {"addSecret as a number", "{\"addSecret\":12345678901234567890,\"reason\":\"r\"}", null},
                {"addSecret as an array", "{\"addSecret\":[\"" + secret() + "\"],\"reason\":\"r\"}", null},
                {"removeSecret as an object", "{\"removeSecret\":{\"fingerprint\":\"sha256:0\"},\"reason\":\"r\"}", null},
                {"an empty addSecret", "{\"addSecret\":\"\",\"reason\":\"r\"}", "secret"},
                {"a blank addSecret", "{\"addSecret\":\"   \",\"reason\":\"r\"}", "secret"},
                {"an addSecret with surrounding blanks", "{\"addSecret\":\" " + secret() + " \",\"reason\":\"r\"}", "secret"},
                {"an addSecret of 4097 characters", "{\"addSecret\":\"" + "k".repeat(4097) + "\",\"reason\":\"r\"}", "4096"},
                {"an empty accessToken", "{\"accessToken\":\"\",\"reason\":\"r\"}", "accessToken"},
                {"expectedVersion as a string", "{\"addSecret\":\"" + secret() + "\",\"expectedVersion\":\"1\",\"reason\":\"r\"}", null}};
        for (String[] w : wrong) {
            add(cat, "rotate " + w[0], op("POST", rotate, w[1]), admin(400, "bad-request", w[2]));
        }
        add(cat, "rotate without reason", op("POST", rotate, "{\"addSecret\":\"" + secret() + "\"}"), rule("R10", "reason"));
        add(cat, "rotate: remove a fingerprint that is not there", op("POST", rotate,
                "{\"removeSecret\":\"sha256:0000000000000000\",\"reason\":\"r\"}"), rule("R5", "fingerprint"));
        add(cat, "rotate: remove the secret removed at setup", op("POST", rotate, "{\"removeSecret\":\""
                + ChannelSecrets.fingerprint(r.aOldSecret) + "\",\"reason\":\"r\"}"), rule("R5", "fingerprint"));
        add(cat, "rotate: remove by the secret itself instead of its fingerprint", op("POST", rotate,
                "{\"removeSecret\":\"" + r.aSecret + "\",\"reason\":\"r\"}"), rule("R5", "fingerprint"));
        add(cat, "rotate: remove by a new secret in clear, and add it", op("POST", rotate,
                "{\"addSecret\":\"" + s + "\",\"removeSecret\":\"" + s + "\",\"reason\":\"r\"}"), rule("R5", "fingerprint"));
        add(cat, "rotate: remove the only secret", op("POST", rotate, "{\"removeSecret\":\"" + ChannelSecrets.fingerprint(r.aSecret)
                + "\",\"reason\":\"r\"}"), rule("R5", "last secret"));
        add(cat, "rotate: add the secret already active", op("POST", rotate, "{\"addSecret\":\"" + r.aSecret + "\",\"reason\":\"r\"}"),
                rule("R5", "already active"));
        add(cat, "rotate: stale expectedVersion", op("POST", rotate, "{\"addSecret\":\"" + secret()
                + "\",\"expectedVersion\":99,\"reason\":\"r\"}"), admin(409, "conflict"));
        add(cat, "rotate a member without a channel", op("POST", dee("LINE") + ":rotate", "{\"addSecret\":\"" + secret()
                + "\",\"reason\":\"r\"}"), rule("R5", "register one"));
        add(cat, "rotate a retired channel", op("POST", Registered.channel(A, "LINE", Registered.REX) + ":rotate",
                "{\"addSecret\":\"" + secret() + "\",\"reason\":\"r\"}"), rule("R5", "retired"));
        add(cat, "rotate tenant B's member under A", op("POST", Registered.channel(A, "LINE", Registered.UMA) + ":rotate",
                "{\"addSecret\":\"" + secret() + "\",\"reason\":\"r\"}"), rule("R5", "register one"));
        add(cat, "rotate a WORKS bot with an accessToken", op("POST", ann("WORKS") + ":rotate",
                "{\"accessToken\":\"" + secret() + "\",\"reason\":\"r\"}"), admin(400, "bad-request", "WORKS"));
        String retire = Registered.channel(A, "LINE", Registered.REX) + ":retire";
        add(cat, "retire without reason", op("POST", ann("LINE") + ":retire", "{}"), rule("R10", "reason"));
        add(cat, "retire with an unknown field", op("POST", ann("LINE") + ":retire", "{\"reason\":\"r\",\"channelId\":\"x\"}"),
                admin(400, "bad-request", "unknown field"));
        add(cat, "retire with a secret field", op("POST", ann("LINE") + ":retire", "{\"reason\":\"r\",\"secrets\":[\"" + secret() + "\"]}"),
                admin(400, "bad-request", "unknown field"));
        add(cat, "retire an already retired channel", op("POST", retire, "{\"reason\":\"r\"}"), rule("R5", "retired"));
        add(cat, "retire a member without a channel", op("POST", dee("LINE") + ":retire", "{\"reason\":\"r\"}"), rule("R5", "register one"));
        add(cat, "retire with a stale expectedVersion", op("POST", ann("LINE") + ":retire", "{\"reason\":\"r\",\"expectedVersion\":1}"),
                admin(409, "conflict"));
        add(cat, "retire malformed", op("POST", ann("LINE") + ":retire", "{\"reason\":\"r\""), admin(400, "bad-request"));
    }

    private void channelPathsMethodsAndSizes() {
        String cat = "admin: channel paths, methods and sizes";
        String body = registration(secret());
        for (String member : List.of("a:b", "%2E%2E%2Fann", "x".repeat(129), "%E3%81%82")) {
            add(cat, "register for member '" + (member.length() > 20 ? member.substring(0, 10) + "..." : member) + "'",
                    op("PUT", Registered.channel(A, "LINE", member), body), admin(400, "bad-request", "member"));
        }
        add(cat, "register for connector FOO", op("PUT", Registered.channel(A, "FOO", Registered.DEE), body),
                admin(400, "bad-request", "connector"));
        add(cat, "register on tenant a:b", op("PUT", Registered.channel("a%3Ab", "LINE", Registered.DEE), body),
                admin(400, "bad-request", "tenant"));
        add(cat, "register by acme's tenant admin on initech", AdminCorpus.call("PUT", dee("LINE"), gateway.acmeToken(), utf8(body)),
                admin(403, "forbidden", "tenant"));
        add(cat, "rotate by globex's tenant admin on initech", AdminCorpus.call("POST", ann("LINE") + ":rotate", gateway.globexToken(),
                utf8("{\"addSecret\":\"" + secret() + "\",\"reason\":\"r\"}")), admin(403, "forbidden", "tenant"));
        add(cat, "retire by acme's auditor on initech", AdminCorpus.call("POST", ann("LINE") + ":retire", gateway.acmeAuditorToken(),
                utf8("{\"reason\":\"r\"}")), admin(403, "forbidden", "tenant"));
        add(cat, "show by acme's tenant admin on initech", AdminCorpus.call("GET", ann("LINE"), gateway.acmeToken(), null),
                admin(403, "forbidden", "tenant"));
        for (String type : List.of("application/xml", "application/x-www-form-urlencoded", "application/octet-stream")) {
            add(cat, "register as " + type, Request.of("PUT", dee("LINE"), utf8(body), "Authorization", "Bearer " + gateway.operatorToken(),
                    "Content-Type", type), HostileCase.http(415));
        }
        byte[] big = new byte[WebhookCorpus.MIB + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] head = utf8(body.substring(0, body.length() - 1));
        System.arraycopy(head, 0, big, 0, head.length);
        big[big.length - 1] = '}';
        add(cat, "register body over 1 MiB", AdminCorpus.call("PUT", dee("LINE"), gateway.operatorToken(), big),
                admin(413, "payload-too-large"));
        add(cat, "rotate body over 1 MiB", AdminCorpus.call("POST", ann("LINE") + ":rotate", gateway.operatorToken(), big),
                admin(413, "payload-too-large"));
        String[][] methods = {{"DELETE", dee("LINE")}, {"PATCH", dee("LINE")}, {"POST", dee("LINE")}, {"GET", ann("LINE") + ":rotate"},
                {"PUT", ann("LINE") + ":rotate"}, {"DELETE", ann("LINE") + ":retire"}, {"GET", ann("LINE") + ":retire"},
                {"POST", "/admin/v1/tenants/" + A + "/connectors/LINE/channels"}};
        for (String[] m : methods) {
            boolean withBody = !m[0].equals("GET") && !m[0].equals("DELETE");
            add(cat, m[0] + " " + m[1], op(m[0], m[1], withBody ? "{\"reason\":\"r\"}" : null), HostileCase.http(405));
        }
    }

    // ---------------------------------------------------------------- friend URLs

    private void friendUrls() {
        String cat = "friend URLs: not the tenant's current token";
        String ann = r.annToken;
        Object[][] visits = {
                {"ann's stale token (reset at setup)", A, r.annStaleToken, Registered.ANN},
                {"a token never issued", A, "never-issued-token", null},
                {"tenant B's current token under A", A, r.umaToken, null},
                {"A's current token under tenant B", B, ann, null},
                {"A's stale token under tenant B", B, r.annStaleToken, null},
                {"A's current token under acme", HostileGateway.ACME, ann, null},
                {"A's current token under an unknown tenant", "nosuchtenant", ann, null},
                {"A's current token under INITECH", "INITECH", ann, null},
                {"the current token with its last character changed", A, ann.substring(0, ann.length() - 1)
                        + (ann.endsWith("A") ? "B" : "A"), null},
                {"the current token with a character more", A, ann + "x", null},
                {"the current token without its first character", A, ann.substring(1), null},
                {"the current token upper-cased", A, ann.toUpperCase().equals(ann) ? ann.toLowerCase() : ann.toUpperCase(), null},
                {"the fingerprint of the current token", A, ChannelSecrets.fingerprint(ann).replace(":", "-"), null},
                {"a token of 129 characters", A, "t".repeat(129), null},
                {"a token of 2000 characters", A, "t".repeat(2000), null},
                {"a token '..'", A, "..", null},
                {"a token '%2E%2E'", A, "%2E%2E", null},
                {"a token with an encoded slash", A, ann + "%2F..", null},
                {"a token with NUL", A, ann + "%00", null},
                {"a token with a space", A, ann + "%20", null},
                {"a non-ASCII token", A, "%E3%81%82", null},
                {"a token with markup", A, "%3Cscript%3E", null},
        };
        for (Object[] v : visits) {
            String tenant = (String) v[1];
            String token = (String) v[2];
            String member = (String) v[3];
            // the visit is audited under the tenant of the path, with the member when the token was theirs there
            String expected = tenant.equals(A) && token.equals(r.annStaleToken) ? member : null;
            boolean current = tenant.equals(A) && token.equals(ann);
            if (current) {
                throw new IllegalStateException("not a hostile visit: " + v[0]);
            }
            add(cat, "GET " + v[0], Request.of("GET", "/friend/" + tenant + "/" + token, null), new FriendRefused(410, tenant, expected));
            add(cat, "GET qr.png of " + v[0], Request.of("GET", "/friend/" + tenant + "/" + token + "/qr.png", null),
                    new FriendRefused(410, tenant, expected));
        }
        String paths = "friend URLs: odd paths and methods";
        for (String tenant : List.of("a%3Ab", "%2F", "initech%20", "%E3%81%82", "x".repeat(129))) {
            add(paths, "GET tenant '" + (tenant.length() > 20 ? tenant.substring(0, 10) + "..." : tenant) + "'",
                    Request.of("GET", "/friend/" + tenant + "/" + ann, null), admin(400, "bad-request", "tenant"));
        }
        add(paths, "GET empty token", Request.of("GET", "/friend/" + A + "/", null), HostileCase.http(404));
        add(paths, "GET no tenant", Request.of("GET", "/friend//" + ann, null), HostileCase.http(404));
        add(paths, "GET traversal to the admin API", Request.of("GET", "/friend/" + A + "/..%2F..%2Fadmin%2Fv1%2Ftenants%2F" + A
                + "%2Fconnectors%2FLINE%2Fmembers", null), new FriendRefused(410, A, null));
        add(paths, "GET other file than qr.png", Request.of("GET", "/friend/" + A + "/" + ann + "/qr.svg", null), HostileCase.http(404));
        add(paths, "GET qr.png of qr.png", Request.of("GET", "/friend/" + A + "/" + ann + "/qr.png/qr.png", null), HostileCase.http(404));
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            boolean withBody = !method.equals("DELETE");
            for (String token : List.of(ann, r.annStaleToken)) {
                String which = token.equals(ann) ? "current" : "stale";
                add(paths, method + " the " + which + " token", Request.of(method, "/friend/" + A + "/" + token,
                        withBody ? utf8("{}") : null, "Content-Type", "application/json"), HostileCase.http(405));
                add(paths, method + " the " + which + " token's QR code", Request.of(method, "/friend/" + A + "/" + token + "/qr.png",
                        withBody ? utf8("{}") : null, "Content-Type", "application/json"), HostileCase.http(405));
            }
        }
    }
}
