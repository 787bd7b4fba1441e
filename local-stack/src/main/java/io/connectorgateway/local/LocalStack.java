package io.connectorgateway.local;

import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.gateway.GatewayApplication;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.greeting.GreetingBot;
import io.connectorgateway.greeting.GreetingBotConfig;
import io.connectorgateway.greeting.standin.LinePushStandIn;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.EmbeddedKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one JVM: a real single-node KRaft broker whose data survives restarts (or
 * an existing cluster through {@code KAFKA_BOOTSTRAP_SERVERS}), the topic catalogue, the policy
 * stream, the greeting bot, the gateway, and a stand-in for LINE's push endpoint, with a demo
 * tenant seeded through the admin API. Stops cleanly on Ctrl-C.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /**
     * @param dataDir           where the broker, the stream's state and the demo secrets live
     * @param externalBootstrap an existing cluster, or null for the embedded broker
     * @param topicPrefix       topic name prefix (empty normally; tests use their own)
     * @param partitions        partitions of created topics
     * @param gatewayPort       HTTP port of the gateway (-1: random)
     * @param standInPort       HTTP port of the LINE stand-in (0: random)
     * @param botPort           health/metrics port of the greeting bot (0: random)
     */
    public record Options(Path dataDir, String externalBootstrap, String topicPrefix, int partitions, int gatewayPort,
                          int standInPort, int botPort) {
        public static Options fromEnvironment(Map<String, String> env) {
            return new Options(Path.of(env.getOrDefault("LOCAL_DATA_DIR", "local-data")),
                    blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")),
                    env.getOrDefault("CONNECTOR_TOPIC_PREFIX", ""),
                    Integer.parseInt(env.getOrDefault("CONNECTOR_TOPIC_PARTITIONS", "4")),
                    Integer.parseInt(env.getOrDefault("GATEWAY_PORT", "8080")),
                    Integer.parseInt(env.getOrDefault("LINE_STANDIN_PORT", "8089")),
                    Integer.parseInt(env.getOrDefault("GREETING_PORT", "8082")));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Options options;
    private LocalSecrets secrets;
    private KafkaEnvironment kafka;
    private LinePushStandIn standIn;
    private EmbeddedServer gateway;
    private PolicyStreamsService policy;
    private Map<String, String> lineTokens = Map.of();

    private LocalStack(Options options) {
        this.options = options;
    }

    public static LocalStack start(Options options) throws Exception {
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = options.dataDir().toAbsolutePath();
        secrets = LocalSecrets.loadOrCreate(data.resolve("demo-secrets.properties"));
        String bootstrap = options.externalBootstrap();
        if (bootstrap == null) {
            EmbeddedKafka broker = EmbeddedKafka.start(data.resolve("kafka"));
            started.add(broker);
            bootstrap = broker.bootstrapServers();
        }
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("CONNECTOR_TOPIC_PREFIX", options.topicPrefix());
        env.put("CONNECTOR_TOPIC_PARTITIONS", Integer.toString(options.partitions()));
        env.put("CONNECTOR_TOPIC_REPLICATION", "1");
        kafka = KafkaEnvironment.fromEnvironment(env);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            new TopicBootstrapper(admin, Duration.ofSeconds(60)).ensure(kafka.topics());
        }

        standIn = LinePushStandIn.start(options.standInPort(), List.of(secrets.channelAccessToken()));
        started.add(standIn);

        Map<String, String> policyEnv = new HashMap<>(env);
        policyEnv.put("POLICY_STATE_DIR", data.resolve("policy-state").toString());
        // Static membership: after a restart on the same data directory the policy rejoins its group
        // with its old partitions at once instead of waiting out the previous run's session.
        policyEnv.put("POLICY_INSTANCE_ID", "local-policy");
        policyEnv.put("POLICY_TOKEN_SECRET", secrets.policyTokenSecret());
        policyEnv.put(AuditKeys.ENV_FILE, secrets.auditChainKeysFile().toString());
        policyEnv.put("POLICY_APPLICATION_ID", options.topicPrefix().isEmpty() ? PolicyConfig.DEFAULT_APPLICATION_ID
                : options.topicPrefix() + "policy");
        policy = PolicyStreamsService.start(PolicyConfig.fromEnvironment(policyEnv));
        started.add(policy);

        Map<String, String> botEnv = new HashMap<>(env);
        botEnv.put("LINE_API_BASE_URL", standIn.baseUrl().toString());
        botEnv.put("GREETING_LINE_TOKEN_" + DemoTenant.TENANT.toUpperCase(), secrets.channelAccessToken());
        botEnv.put("GREETING_PORT", Integer.toString(options.botPort()));
        botEnv.put("GREETING_GROUP_ID", options.topicPrefix() + "greeting-bot");
        GreetingBot bot = GreetingBot.start(GreetingBotConfig.fromEnvironment(botEnv));
        started.add(bot);

        lineTokens = DemoTenant.currentLineTokens(kafka);
        if (!lineTokens.keySet().containsAll(DemoTenant.LINE_MEMBERS)) {
            // First start: the channels' friend-add tokens do not exist yet. Start the gateway
            // for the admin API only, seed through it, then restart it with the LINE channels.
            try (EmbeddedServer adminOnly = GatewayApplication.start(gatewayProperties(Map.of(), data))) {
                DemoTenant.seedIfNeeded(kafka, new AdminHttp(adminOnly.getURL().toString()), secrets);
            }
            lineTokens = DemoTenant.currentLineTokens(kafka);
        }
        gateway = GatewayApplication.start(gatewayProperties(lineTokens, data));
        started.add(gateway);
        LOG.info("local stack running: gateway {}, LINE stand-in {}", gateway.getURL(), standIn.baseUrl());
    }

    private Map<String, Object> gatewayProperties(Map<String, String> tokens, Path data) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", options.gatewayPort());
        p.put("gateway.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("gateway.kafka.topic-prefix", options.topicPrefix());
        p.put("gateway.kafka.topic-partitions", options.partitions());
        p.put("gateway.kafka.topic-replication", 1);
        p.put("gateway.channels.keys", System.getenv().getOrDefault("CONNECTOR_CHANNEL_KEYS", secrets.channelKeys()));
        p.put("gateway.admin.instance-id", options.topicPrefix() + "local-gateway");
        p.put("gateway.admin.friend-url-base", "http://localhost:" + Math.max(options.gatewayPort(), 8080));
        p.put("gateway.view.state-dir", data.resolve("gateway-view").toString());
        p.put("gateway.spool.dir", data.resolve("gateway-spool").toString());
        p.put("gateway.admin.credentials", List.of(
                "demo-admin:TENANT_ADMIN:" + DemoTenant.TENANT + ":" + AdminCredentials.sha256Hex(secrets.tenantAdminToken()),
                "operator:OPERATOR:*:" + AdminCredentials.sha256Hex(secrets.operatorToken()),
                "demo-auditor:AUDITOR:" + DemoTenant.TENANT + ":" + AdminCredentials.sha256Hex(secrets.auditorToken())));
        tokens.forEach((member, token) -> {
            String c = "gateway.line.channels." + member;
            p.put(c + ".destination", DemoTenant.destination(member));
            p.put(c + ".tenant", DemoTenant.TENANT);
            p.put(c + ".member", member);
            p.put(c + ".url-token", token);
            p.put(c + ".secrets", secrets.lineChannelSecret());
        });
        String bot = "gateway.works.bots.demobot";
        p.put(bot + ".bot-id", DemoTenant.WORKS_BOT_ID);
        p.put(bot + ".tenant", DemoTenant.TENANT);
        p.put(bot + ".member", DemoTenant.WORKS_MEMBER);
        p.put(bot + ".secrets", secrets.worksBotSecret());
        return p;
    }

    public String gatewayUrl() {
        return gateway.getURL().toString();
    }

    public KafkaEnvironment kafka() {
        return kafka;
    }

    public LinePushStandIn standIn() {
        return standIn;
    }

    LocalSecrets secrets() {
        return secrets;
    }

    Map<String, String> lineTokens() {
        return lineTokens;
    }

    /** A signed LINE friend-add webhook for the banner: what a newcomer pastes to see a greeting. */
    record FollowExample(String path, String userId, String body, String signature) {}

    /**
     * A friend-add from a LINE user not seen before, stamped now: a fixed user would be a
     * duplicate after a restart (its room is still open, so no greeting), and a fixed timestamp
     * would soon be older than the greeting bot accepts (LINE's retry-key window).
     */
    FollowExample followExample() {
        String member = DemoTenant.LINE_MEMBERS.get(0);
        String userId = "U" + UUID.randomUUID().toString().replace("-", "");
        String eventId = "01DEMOFOLLOW" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT);
        String body = LineWebhooks.follow(DemoTenant.destination(member), userId, eventId, System.currentTimeMillis());
        String signature = LineWebhooks.sign(secrets.lineChannelSecret(), body.getBytes(StandardCharsets.UTF_8));
        return new FollowExample("/webhooks/line/" + member, userId, body, signature);
    }

    /** The gateway's management port: health details, liveness, readiness, metrics. */
    String managementUrl() {
        return "http://localhost:" + io.connectorgateway.gateway.GatewayApplication.managementPort(gateway);
    }

    /** What a newcomer needs to try it: URLs, a ready-to-paste signed webhook, CLI examples. */
    String banner(FollowExample follow) {
        String url = gatewayUrl();
        String member = DemoTenant.LINE_MEMBERS.get(0);
        String body = follow.body();
        String sig = follow.signature();
        String cli = "./connector-admin";
        return String.join("\n",
                "",
                "==================== connector gateway: local stack ====================",
                "Kafka bootstrap   " + kafka.bootstrapServers() + (options.externalBootstrap() == null
                        ? "  (embedded KRaft broker, data in " + options.dataDir().toAbsolutePath().resolve("kafka") + ")" : ""),
                "Gateway           " + url + "   (public health " + url + "/health: UP/DOWN only)",
                "Management        " + managementUrl() + "   (health details " + managementUrl() + "/health, readiness "
                        + "/health/readiness, metrics " + managementUrl() + "/prometheus; keep it off the public network)",
                "LINE webhook      " + url + "/webhooks/line/" + member + "   (channel of member '" + member + "')",
                "WORKS callbacks   " + url + "/webhooks/works   (X-WORKS-BotId " + DemoTenant.WORKS_BOT_ID + ")",
                "LINE stand-in     " + standIn.baseUrl() + "   (greetings land here; see the log)",
                "Demo tenant       '" + DemoTenant.TENANT + "', LINE members " + DemoTenant.LINE_MEMBERS + ", tokens " + lineTokens,
                "Secrets           " + options.dataDir().toAbsolutePath().resolve("demo-secrets.properties"),
                "",
                "A signed LINE follow (friend-add) webhook, ready to paste:",
                "  curl -sS -X POST " + url + follow.path() + " -H 'Content-Type: application/json' \\",
                "       -H 'x-line-signature: " + sig + "' \\",
                "       --data-binary '" + body + "'",
                "",
                "CLI (in another terminal, from the repository root):",
                "  export CONNECTOR_ADMIN_URL=" + url + " CONNECTOR_ADMIN_TOKEN=" + secrets.tenantAdminToken(),
                "  " + cli + " settings get -t demo -c LINE",
                "  " + cli + " members list -t demo -c LINE",
                "  " + cli + " impact -t demo -c LINE --disable",
                "  CONNECTOR_ADMIN_TOKEN=" + secrets.auditorToken() + " " + cli + " audit search -t demo --limit 20   (auditor)",
                "  CONNECTOR_ADMIN_TOKEN=" + secrets.auditorToken() + " " + cli + " audit tail -t demo",
                "  " + AuditKeys.ENV_FILE + "=" + secrets.auditChainKeysFile() + " " + cli + " audit verify --bootstrap "
                        + kafka.bootstrapServers() + (options.topicPrefix().isEmpty() ? "" : " --topic-prefix " + options.topicPrefix()),
                "Operator token (plan changes): " + secrets.operatorToken(),
                "Ctrl-C stops everything cleanly; the next start keeps all data.",
                "========================================================================");
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
