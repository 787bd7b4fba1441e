package io.connectorgateway.greeting;

import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.greeting.send.MemberDirectory;
import io.connectorgateway.greeting.send.RetryPolicy;
import java.net.URI;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the greeting bot is configured with. {@link #fromEnvironment} reads the
 * environment variables documented in the module README; {@link #toBuilder} and the {@code with...}
 * methods let a test or an in-process stack change single settings.
 *
 * @param kafka             Kafka connection and topic catalogue
 * @param groupId           consumer group ({@code GREETING_GROUP_ID})
 * @param instanceId        this instance's stable id; part of the transactional id
 * @param lineApiBaseUrl    LINE Messaging API base URL ({@code LINE_API_BASE_URL})
 * @param channelKeys       {@code CONNECTOR_CHANNEL_KEYS}: opens the access tokens of {@code connector.channels}
 * @param members           member display names for {@code {memberName}}
 * @param userNameFallback  {@code {userName}} when LINE does not give a display name
 * @param retry             retry budget and backoff
 * @param maxAge            commands older than this (from the friend-add) are failed unsent:
 *                          LINE's retry key only protects for 24 hours
 * @param rateLimitPerSecond push (and profile) requests per second per tenant channel
 * @param workerThreads     concurrent sends in all
 * @param tenantInFlight    concurrent sends per tenant
 * @param maxBuffered       commands fetched but not yet recorded before fetching pauses
 * @param connectTimeout    HTTP connect timeout
 * @param readTimeout       HTTP read timeout
 * @param shutdownGrace     how long running sends may finish on SIGTERM
 * @param httpPort          health/metrics port; -1 picks a free port
 * @param createTopics      create missing topics at start
 */
public record GreetingBotConfig(
        KafkaEnvironment kafka,
        String groupId,
        String instanceId,
        URI lineApiBaseUrl,
        ChannelSealer channelKeys,
        MemberDirectory members,
        String userNameFallback,
        RetryPolicy retry,
        Duration maxAge,
        double rateLimitPerSecond,
        int workerThreads,
        int tenantInFlight,
        int maxBuffered,
        Duration connectTimeout,
        Duration readTimeout,
        Duration shutdownGrace,
        int httpPort,
        boolean createTopics) {

    public static final String SERVICE = "greeting-bot";
    /** Variables of earlier releases (tokens from the environment, tenant-wide and default fallbacks): warned about, never read. */
    static final String RETIRED_TOKEN_PREFIX = "GREETING_LINE_TOKEN_";
    static final String RETIRED_MEMBER_TOKEN_PREFIX = "GREETING_LINE_MEMBER_TOKEN_";
    public static final String DEFAULT_LINE_API = "https://api.line.me";
    public static final int DEFAULT_PORT = 8082;
    /** LINE keeps a retry key for 24 hours after the first request; an hour of margin. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(23);

    public GreetingBotConfig {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("GREETING_GROUP_ID must not be blank");
        }
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("GREETING_INSTANCE_ID must not be blank");
        }
        if (lineApiBaseUrl == null || lineApiBaseUrl.getScheme() == null
                || !(lineApiBaseUrl.getScheme().equals("http") || lineApiBaseUrl.getScheme().equals("https"))) {
            throw new IllegalArgumentException("LINE_API_BASE_URL must be an http(s) URL, got " + lineApiBaseUrl);
        }
        if (channelKeys == null) {
            throw new IllegalArgumentException(ChannelSealer.ENV + " is required: greetings are sent with the access token "
                    + "of the LINE channel the user followed, sealed on connector.channels");
        }
        if (maxBuffered < 1) {
            throw new IllegalArgumentException("GREETING_MAX_BUFFERED must be at least 1");
        }
    }

    public static GreetingBotConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static GreetingBotConfig fromEnvironment(Map<String, String> env) {
        env.keySet().stream().filter(k -> k.startsWith(RETIRED_TOKEN_PREFIX) || k.startsWith(RETIRED_MEMBER_TOKEN_PREFIX))
                .sorted().forEach(k -> org.slf4j.LoggerFactory.getLogger(GreetingBotConfig.class).warn(
                        "{} is no longer read: a greeting goes out with the access token of the registered LINE channel "
                                + "the user followed (connector.channels; connector-admin channels register/rotate "
                                + "--access-token-env), never a token from the environment", k));
        RetryPolicy defaults = RetryPolicy.defaults();
        return new Builder()
                .kafka(KafkaEnvironment.fromEnvironment(env))
                .groupId(env.getOrDefault("GREETING_GROUP_ID", SERVICE))
                .instanceId(env.getOrDefault("GREETING_INSTANCE_ID", hostName()))
                .lineApiBaseUrl(URI.create(stripSlash(env.getOrDefault("LINE_API_BASE_URL", DEFAULT_LINE_API).trim())))
                .channelKeys(ChannelSealer.fromEnvironment(env))
                .members(MemberDirectory.fromEnvironment(env))
                .userNameFallback(env.getOrDefault("GREETING_USER_NAME_FALLBACK", "there"))
                .retry(new RetryPolicy(
                        integer(env, "GREETING_MAX_ATTEMPTS", defaults.maxAttempts()),
                        millis(env, "GREETING_BACKOFF_INITIAL_MS", defaults.initialBackoff()),
                        millis(env, "GREETING_BACKOFF_MAX_MS", defaults.maxBackoff()),
                        millis(env, "GREETING_RETRY_AFTER_MAX_MS", defaults.maxRetryAfter())))
                .maxAge(millis(env, "GREETING_MAX_AGE_MS", DEFAULT_MAX_AGE))
                .rateLimitPerSecond(decimal(env, "GREETING_RATE_LIMIT_PER_SECOND", 2_000))
                .workerThreads(integer(env, "GREETING_WORKER_THREADS", 32))
                .tenantInFlight(integer(env, "GREETING_TENANT_IN_FLIGHT", 4))
                .maxBuffered(integer(env, "GREETING_MAX_BUFFERED", 1_000))
                .connectTimeout(millis(env, "GREETING_HTTP_CONNECT_TIMEOUT_MS", Duration.ofSeconds(5)))
                .readTimeout(millis(env, "GREETING_HTTP_READ_TIMEOUT_MS", Duration.ofSeconds(10)))
                .shutdownGrace(millis(env, "GREETING_SHUTDOWN_GRACE_MS", Duration.ofSeconds(10)))
                .httpPort(integer(env, "GREETING_PORT", DEFAULT_PORT))
                .createTopics(!"false".equalsIgnoreCase(env.getOrDefault("GREETING_CREATE_TOPICS", "true").trim()))
                .build();
    }

    public GreetingBotConfig withLineApiBaseUrl(URI url) {
        return toBuilder().lineApiBaseUrl(url).build();
    }

    public GreetingBotConfig withChannelKeys(ChannelSealer keys) {
        return toBuilder().channelKeys(keys).build();
    }

    public GreetingBotConfig withMembers(MemberDirectory m) {
        return toBuilder().members(m).build();
    }

    public GreetingBotConfig withRetry(RetryPolicy r) {
        return toBuilder().retry(r).build();
    }

    public GreetingBotConfig withMaxAge(Duration age) {
        return toBuilder().maxAge(age).build();
    }

    public GreetingBotConfig withConcurrency(int threads, int perTenant) {
        return toBuilder().workerThreads(threads).tenantInFlight(perTenant).build();
    }

    public GreetingBotConfig withHttpPort(int port) {
        return toBuilder().httpPort(port).build();
    }

    public GreetingBotConfig withTimeouts(Duration connect, Duration read) {
        return toBuilder().connectTimeout(connect).readTimeout(read).build();
    }

    /** A builder holding this configuration: change what differs, then {@link Builder#build}. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.kafka = kafka;
        b.groupId = groupId;
        b.instanceId = instanceId;
        b.lineApiBaseUrl = lineApiBaseUrl;
        b.channelKeys = channelKeys;
        b.members = members;
        b.userNameFallback = userNameFallback;
        b.retry = retry;
        b.maxAge = maxAge;
        b.rateLimitPerSecond = rateLimitPerSecond;
        b.workerThreads = workerThreads;
        b.tenantInFlight = tenantInFlight;
        b.maxBuffered = maxBuffered;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.shutdownGrace = shutdownGrace;
        b.httpPort = httpPort;
        b.createTopics = createTopics;
        return b;
    }

    /** The configuration field by field, by name; {@link #build} checks it as the record does. */
    public static final class Builder {
        private KafkaEnvironment kafka;
        private String groupId;
        private String instanceId;
        private URI lineApiBaseUrl;
        private ChannelSealer channelKeys;
        private MemberDirectory members;
        private String userNameFallback;
        private RetryPolicy retry;
        private Duration maxAge;
        private double rateLimitPerSecond;
        private int workerThreads;
        private int tenantInFlight;
        private int maxBuffered;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration shutdownGrace;
        private int httpPort;
        private boolean createTopics;

        public Builder kafka(KafkaEnvironment value) {
            kafka = value;
            return this;
        }

        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        public Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        public Builder lineApiBaseUrl(URI value) {
            lineApiBaseUrl = value;
            return this;
        }

        public Builder channelKeys(ChannelSealer value) {
            channelKeys = value;
            return this;
        }

        public Builder members(MemberDirectory value) {
            members = value;
            return this;
        }

        public Builder userNameFallback(String value) {
            userNameFallback = value;
            return this;
        }

        public Builder retry(RetryPolicy value) {
            retry = value;
            return this;
        }

        public Builder maxAge(Duration value) {
            maxAge = value;
            return this;
        }

        public Builder rateLimitPerSecond(double value) {
            rateLimitPerSecond = value;
            return this;
        }

        public Builder workerThreads(int value) {
            workerThreads = value;
            return this;
        }

        public Builder tenantInFlight(int value) {
            tenantInFlight = value;
            return this;
        }

        public Builder maxBuffered(int value) {
            maxBuffered = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        public Builder createTopics(boolean value) {
            createTopics = value;
            return this;
        }

        public GreetingBotConfig build() {
            return new GreetingBotConfig(kafka, groupId, instanceId, lineApiBaseUrl, channelKeys, members, userNameFallback,
                    retry, maxAge, rateLimitPerSecond, workerThreads, tenantInFlight, maxBuffered, connectTimeout, readTimeout,
                    shutdownGrace, httpPort, createTopics);
        }
    }

    /** The transactional id: stable per instance, so a restarted instance fences its old self. */
    public String transactionalId() {
        return groupId + "-" + instanceId;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "local";
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static double decimal(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'", e);
        }
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + ms);
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of milliseconds, got '" + v + "'", e);
        }
    }
}
