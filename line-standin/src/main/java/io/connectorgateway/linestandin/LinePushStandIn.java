package io.connectorgateway.linestandin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.connectorgateway.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the two LINE Messaging API endpoints the greeting bot uses, on a real
 * HTTP server (the JDK's), for tests and the local stack.
 *
 * <p>It behaves as the LINE documentation describes: the bearer token must be a known channel
 * access token (401 otherwise); the push body is validated ({@code to}, 1-5 text messages of
 * 1-5,000 characters; 400 otherwise); a push with an {@code X-Line-Retry-Key} is executed at most
 * once: after one was accepted, every request with the same key gets {@code 409} (with
 * {@code x-line-accepted-request-id}); a malformed key gets 400. {@code GET /v2/bot/profile/{id}}
 * answers the profiles it was given, 404 otherwise.
 *
 * <p>It can be told to misbehave, to exercise the bot's retries: a script of steps consumed one
 * per push (answer 5xx/4xx, 429 with {@code Retry-After}, accept and still answer 500 as if the
 * answer were lost, delay), and a fixed delay per channel token (a slow tenant).
 *
 * <p>Every push request is recorded (time, token, retry key, body, answer); accepted pushes are
 * what a LINE user would have received.
 */
public final class LinePushStandIn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinePushStandIn.class);
    private static final Pattern RETRY_KEY = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_BODY = 1024 * 1024;

    /** One push request as received, and what the stand-in answered. */
    public record PushCall(long receivedNanos, Instant receivedAt, String token, String retryKey,
                           Map<String, String> headers, String body, String to, List<String> texts, int status) {
    }

    /** A push LINE would have delivered. */
    public record AcceptedPush(String requestId, String token, String retryKey, String to, List<String> texts,
                               Instant at) {
    }

    /** One scripted misbehaviour, consumed by the next push request. */
    public record Step(Kind kind, int status, Duration duration) {
        public enum Kind { ANSWER, ACCEPT_THEN_ANSWER, DELAY }

        /** Answer {@code status} without accepting (e.g. 500, 400, 503). */
        public static Step fail(int status) {
            return new Step(Kind.ANSWER, status, null);
        }

        /** 429 with {@code Retry-After} in whole seconds. */
        public static Step rateLimited(Duration retryAfter) {
            return new Step(Kind.ANSWER, 429, retryAfter);
        }

        /** Accept the push (the user gets it) but answer {@code status}, as if the answer were lost. */
        public static Step acceptThenFail(int status) {
            return new Step(Kind.ACCEPT_THEN_ANSWER, status, null);
        }

        /** Wait {@code delay} before handling the push normally (longer than the client's timeout = a timeout). */
        public static Step delay(Duration delay) {
            return new Step(Kind.DELAY, 0, delay);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> profiles = new ConcurrentHashMap<>();
    private final Map<String, Duration> delayByToken = new ConcurrentHashMap<>();
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<PushCall> calls = new ArrayList<>();
    private final List<AcceptedPush> accepted = new ArrayList<>();
    private final Map<String, String> acceptedRequestIdByKey = new HashMap<>();

    private LinePushStandIn(HttpServer server, ExecutorService executor, Collection<String> channelTokens) {
        this.server = server;
        this.executor = executor;
        this.tokens.addAll(channelTokens);
    }

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on for accepted connections unless told
        // otherwise (read once, when its first server is made). A response written in two parts then
        // waits for the client's delayed ACK: about 40 ms per request on loopback, which made
        // "answers at once" a stand-in that answered in 40 ms and capped benchmark 5.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Starts on {@code port} of the loopback interface (0: a free port), accepting these tokens. */
    public static LinePushStandIn start(int port, Collection<String> channelTokens) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "line-standin");
                t.setDaemon(true);
                return t;
            });
            LinePushStandIn standIn = new LinePushStandIn(server, executor, channelTokens);
            server.createContext("/v2/bot/message/push", standIn::push);
            server.createContext("/v2/bot/profile/", standIn::profile);
            server.createContext("/", ex -> respond(ex, 404, "{\"message\":\"Not found\"}", Map.of()));
            server.setExecutor(executor);
            server.start();
            LOG.info("LINE stand-in listening on {}", standIn.baseUrl());
            return standIn;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the LINE stand-in on port " + port + ": " + e.getMessage(), e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void addToken(String token) {
        tokens.add(token);
    }

    /** LINE user {@code userId} has display name {@code displayName}. */
    public void profile(String userId, String displayName) {
        profiles.put(userId, displayName);
    }

    /** Every push with this token waits {@code delay} first (a slow channel). */
    public void delayFor(String token, Duration delay) {
        delayByToken.put(token, delay);
    }

    /** Queues misbehaviours; each push request consumes the next one. */
    public synchronized void script(Step... steps) {
        script.addAll(List.of(steps));
    }

    /** As if a push with this retry key had been accepted earlier (e.g. by a previous run). */
    public synchronized void markAccepted(String retryKey) {
        acceptedRequestIdByKey.put(retryKey.toLowerCase(), UUID.randomUUID().toString());
    }

    public synchronized List<PushCall> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<PushCall> callsWithKey(String retryKey) {
        return calls.stream().filter(c -> retryKey.equalsIgnoreCase(c.retryKey())).toList();
    }

    public synchronized List<AcceptedPush> accepted() {
        return List.copyOf(accepted);
    }

    /** How many pushes were accepted, without copying them (for watching a long run). */
    public synchronized int acceptedCount() {
        return accepted.size();
    }

    public synchronized List<AcceptedPush> acceptedFor(String to) {
        return accepted.stream().filter(a -> to.equals(a.to())).toList();
    }

    /** Waits until at least {@code n} push requests arrived. */
    public void awaitCalls(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (calls.size() < n) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the LINE stand-in saw " + calls.size() + " push requests, expected " + n);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private void push(HttpExchange ex) throws IOException {
        long received = System.nanoTime();
        Instant receivedAt = Instant.now();
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod()) || !"/v2/bot/message/push".equals(ex.getRequestURI().getPath())) {
                respond(ex, 404, "{\"message\":\"Not found\"}", Map.of());
                return;
            }
            String body = readBody(ex);
            String token = bearer(ex).orElse(null);
            String retryKey = ex.getRequestHeaders().getFirst("X-Line-Retry-Key");
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            if (token == null || !knownToken(token)) {
                answer(ex, new PushCall(received, receivedAt, token, retryKey, headers, body, null, List.of(), 401),
                        "{\"message\":\"Authentication failed. Confirm that the access token in the authorization header is valid.\"}",
                        Map.of());
                return;
            }
            Duration channelDelay = delayByToken.get(token);
            if (channelDelay != null) {
                sleep(channelDelay);
            }
            Step step;
            synchronized (this) {
                step = script.poll();
            }
            if (step != null && step.kind() == Step.Kind.DELAY) {
                sleep(step.duration());
                step = null;
            }
            ParsedPush parsed = parse(body);
            if (retryKey != null && !RETRY_KEY.matcher(retryKey).matches()) {
                answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, 400),
                        "{\"message\":\"The value for the 'X-Line-Retry-Key' header is invalid\"}", Map.of());
                return;
            }
            if (step != null && step.kind() == Step.Kind.ANSWER) {
                Map<String, String> extra = step.duration() == null ? Map.of()
                        : Map.of("Retry-After", Long.toString(step.duration().toSeconds()));
                answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, step.status()),
                        "{\"message\":\"" + (step.status() == 429 ? "The API rate limit has been exceeded. Try again later."
                                : "Scripted failure") + "\"}", extra);
                return;
            }
            if (parsed.error() != null) {
                answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, 400),
                        "{\"message\":\"The request body has 1 error(s)\",\"details\":[{\"message\":\""
                                + parsed.error().replace("\"", "'") + "\"}]}", Map.of());
                return;
            }
            String requestId = UUID.randomUUID().toString();
            synchronized (this) {
                String earlier = retryKey == null ? null : acceptedRequestIdByKey.get(retryKey.toLowerCase());
                if (earlier != null) {
                    answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, 409),
                            "{\"message\":\"The retry key is already accepted\"}",
                            Map.of("x-line-accepted-request-id", earlier));
                    return;
                }
                if (retryKey != null) {
                    acceptedRequestIdByKey.put(retryKey.toLowerCase(), requestId);
                }
                accepted.add(new AcceptedPush(requestId, token, retryKey, parsed.to(), parsed.texts(), receivedAt));
                LOG.info("LINE stand-in delivered to {}: {}", parsed.to(), parsed.texts());
            }
            if (step != null && step.kind() == Step.Kind.ACCEPT_THEN_ANSWER) {
                answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, step.status()),
                        "{\"message\":\"Scripted failure after accepting\"}", Map.of());
                return;
            }
            answer(ex, call(received, receivedAt, token, retryKey, headers, body, parsed, 200),
                    "{\"sentMessages\":[{\"id\":\"" + Math.abs(requestId.hashCode()) + "\"}]}",
                    Map.of("X-Line-Request-Id", requestId));
        } catch (RuntimeException e) {
            LOG.error("LINE stand-in failed on a push", e);
            respond(ex, 500, "{\"message\":\"stand-in error\"}", Map.of());
        }
    }

    private void profile(HttpExchange ex) throws IOException {
        try (ex) {
            String token = bearer(ex).orElse(null);
            if (!"GET".equals(ex.getRequestMethod())) {
                respond(ex, 405, "{\"message\":\"Method not allowed\"}", Map.of());
                return;
            }
            if (token == null || !knownToken(token)) {
                respond(ex, 401, "{\"message\":\"Authentication failed.\"}", Map.of());
                return;
            }
            String userId = URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/v2/bot/profile/".length()),
                    StandardCharsets.UTF_8);
            String name = profiles.get(userId);
            if (name == null) {
                respond(ex, 404, "{\"message\":\"Not found\"}", Map.of());
                return;
            }
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("displayName", name);
            node.put("userId", userId);
            node.put("language", "en");
            respond(ex, 200, node.toString(), Map.of("X-Line-Request-Id", UUID.randomUUID().toString()));
        }
    }

    private record ParsedPush(String to, List<String> texts, String error) {
    }

    private static ParsedPush parse(String body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            return new ParsedPush(null, List.of(), "malformed JSON");
        }
        if (root == null || !root.isObject()) {
            return new ParsedPush(null, List.of(), "body must be a JSON object");
        }
        JsonNode to = root.get("to");
        String toText = to != null && to.isTextual() ? to.asText() : null;
        JsonNode messages = root.get("messages");
        List<String> texts = new ArrayList<>();
        if (messages != null && messages.isArray()) {
            for (JsonNode m : messages) {
                JsonNode text = m.get("text");
                texts.add(text != null && text.isTextual() ? text.asText() : null);
            }
        }
        String error = null;
        if (toText == null || toText.isBlank()) {
            error = "'to' is required";
        } else if (messages == null || !messages.isArray() || messages.isEmpty()) {
            error = "'messages' must be a non-empty array";
        } else if (messages.size() > 5) {
            error = "Size must be between 1 and 5 (messages)";
        } else {
            for (JsonNode m : messages) {
                JsonNode type = m.get("type");
                JsonNode text = m.get("text");
                if (type == null || !"text".equals(type.asText())) {
                    error = "only text messages are supported by the stand-in";
                } else if (text == null || !text.isTextual() || text.asText().isEmpty() || text.asText().length() > 5000) {
                    error = "Length must be between 1 and 5000 (messages[].text)";
                }
            }
        }
        return new ParsedPush(toText, texts, error);
    }

    private PushCall call(long received, Instant at, String token, String retryKey, Map<String, String> headers,
                          String body, ParsedPush parsed, int status) {
        return new PushCall(received, at, token, retryKey, headers, body, parsed.to(), parsed.texts(), status);
    }

    private void answer(HttpExchange ex, PushCall call, String body, Map<String, String> headers) throws IOException {
        synchronized (this) {
            calls.add(call);
            notifyAll();
        }
        respond(ex, call.status(), body, headers);
    }

    private boolean knownToken(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String t : tokens) {
            match |= MessageDigest.isEqual(given, t.getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }

    private static Optional<String> bearer(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? Optional.of(auth.substring("Bearer ".length()).trim())
                : Optional.empty();
    }

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new IllegalArgumentException("body too large");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void respond(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Runs the stand-in alone: {@code LINE_STANDIN_PORT} (default 8089) and the channel access tokens
     * it accepts from {@code LINE_STANDIN_TOKENS} (comma separated; the tokens registered for the
     * channels, {@code connector-admin channels register --access-token-env}).
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("LINE_STANDIN_PORT", "8089"));
        Set<String> channelTokens = new HashSet<>();
        for (String t : env.getOrDefault("LINE_STANDIN_TOKENS", "").split(",")) {
            if (!t.isBlank()) {
                channelTokens.add(t.trim());
            }
        }
        LinePushStandIn standIn = start(port, channelTokens);
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "line-standin-shutdown"));
        Thread.currentThread().join();
    }
}
