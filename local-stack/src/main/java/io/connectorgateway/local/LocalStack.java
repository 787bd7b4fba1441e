package io.connectorgateway.local;

import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.contracts.topic.TopicBootstrapper;
import io.connectorgateway.gateway.GatewayApplication;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.greeting.GreetingBot;
import io.connectorgateway.greeting.GreetingBotConfig;
import io.connectorgateway.linestandin.LinePushStandIn;
import io.connectorgateway.kafka.embedded.KafkaNode;
import io.connectorgateway.policy.app.PolicyConfig;
import io.connectorgateway.policy.app.PolicyStreamsService;
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
     * @param kafkaPort         client port of the embedded broker (0: random), unused with an external cluster
     */
    public record Options(Path dataDir, String externalBootstrap, String topicPrefix, int partitions, int gatewayPort,
                          int standInPort, int botPort, int kafkaPort) {
        public static Options fromEnvironment(Map<String, String> env) {
            return new Options(Path.of(env.getOrDefault("LOCAL_DATA_DIR", "local-data")),
                    blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS")),
                    env.getOrDefault("CONNECTOR_TOPIC_PREFIX", ""),
                    Integer.parseInt(env.getOrDefault("CONNECTOR_TOPIC_PARTITIONS", "4")),
                    Integer.parseInt(env.getOrDefault("GATEWAY_PORT", "8080")),
                    Integer.parseInt(env.getOrDefault("LINE_STANDIN_PORT", "8089")),
                    Integer.parseInt(env.getOrDefault("GREETING_PORT", "8082")),
                    Integer.parseInt(env.getOrDefault("LOCAL_KAFKA_PORT", Integer.toString(KafkaNode.DEFAULT_PORT))));
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
    private AdminHttp admin;

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
            refuseOldBrokerLayout(data.resolve("kafka"));
            KafkaNode broker = KafkaNode.start(data.resolve("kafka"), options.kafkaPort());
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

        standIn = LinePushStandIn.start(options.standInPort(),
                DemoTenant.LINE_MEMBERS.stream().map(secrets::lineAccessToken).toList());
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
        // No token in the environment: the bot reads each channel's access token from the registry.
        botEnv.put("CONNECTOR_CHANNEL_KEYS", channelKeys());
        botEnv.put("GREETING_PORT", Integer.toString(options.botPort()));
        botEnv.put("GREETING_GROUP_ID", options.topicPrefix() + "greeting-bot");
        GreetingBot bot = GreetingBot.start(GreetingBotConfig.fromEnvironment(botEnv));
        started.add(bot);

        gateway = GatewayApplication.start(gatewayProperties(data));
        admin = new AdminHttp(gateway.getURL().toString());
        // Seeded and registered through the admin API, as an admin would; the channels are data, so
        // the gateway serves them at once (no configured channels, no restart).
        DemoTenant.seedIfNeeded(kafka, admin, secrets);
        DemoTenant.registerChannelsIfNeeded(admin, secrets);
        started.add(gateway);
        LOG.info("local stack running: gateway {}, LINE stand-in {}", gateway.getURL(), standIn.baseUrl());
    }

    private String channelKeys() {
        return System.getenv().getOrDefault("CONNECTOR_CHANNEL_KEYS", secrets.channelKeys());
    }

    private Map<String, Object> gatewayProperties(Path data) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", options.gatewayPort());
        p.put("gateway.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("gateway.kafka.topic-prefix", options.topicPrefix());
        p.put("gateway.kafka.topic-partitions", options.partitions());
        p.put("gateway.kafka.topic-replication", 1);
        p.put("gateway.channels.keys", channelKeys());
        p.put("gateway.admin.instance-id", options.topicPrefix() + "local-gateway");
        p.put("gateway.admin.friend-url-base", "http://localhost:" + Math.max(options.gatewayPort(), 8080));
        p.put("gateway.view.state-dir", data.resolve("gateway-view").toString());
        p.put("gateway.spool.dir", data.resolve("gateway-spool").toString());
        p.put("gateway.admin.credentials", List.of(
                "demo-admin:TENANT_ADMIN:" + DemoTenant.TENANT + ":" + AdminCredentials.sha256Hex(secrets.tenantAdminToken()),
                "operator:OPERATOR:*:" + AdminCredentials.sha256Hex(secrets.operatorToken()),
                "demo-auditor:AUDITOR:" + DemoTenant.TENANT + ":" + AdminCredentials.sha256Hex(secrets.auditorToken())));
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

    /** The demo members' current friend-add URLs, from the admin API (a reset shows at once). */
    Map<String, String> friendUrls() throws Exception {
        return DemoTenant.friendUrls(admin, secrets);
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
        return new FollowExample(DemoTenant.lineWebhookPath(member), userId, body, signature);
    }

    /** The gateway's management port: health details, liveness, readiness, metrics. */
    String managementUrl() {
        return "http://localhost:" + io.connectorgateway.gateway.GatewayApplication.managementPort(gateway);
    }

    /** What a newcomer needs to try it: URLs, a ready-to-paste signed webhook, CLI examples. */
    String banner(FollowExample follow) throws Exception {
        String url = gatewayUrl();
        String member = DemoTenant.LINE_MEMBERS.get(0);
        Map<String, String> friendUrls = friendUrls();
        List<String> channels = new ArrayList<>();
        for (String m : DemoTenant.LINE_MEMBERS) {
            channels.add("  " + m + ": channel " + DemoTenant.channelId(m) + ", webhook " + url + DemoTenant.lineWebhookPath(m));
            channels.add("        destination " + DemoTenant.destination(m) + ", friend URL "
                    + friendUrls.getOrDefault(m, "(none: not on the list)") + " -> " + DemoTenant.friendLink(m));
        }
        String body = follow.body();
        String sig = follow.signature();
        String cli = "./connector-admin";
        return String.join("\n",
                "",
                "==================== connector gateway: local stack ====================",
                "Kafka bootstrap   " + kafka.bootstrapServers() + (options.externalBootstrap() == null
                        ? "  (embedded KRaft broker, data in " + options.dataDir().toAbsolutePath().resolve("kafka") + ")" : ""),
                "Gateway           " + url + "   (public health " + url + "/health: UP/DOWN only)",
                "Admin console     " + url + "/console   (sign in with the demo tenant admin's token: " + secrets.tenantAdminToken() + ")",
                "Management        " + managementUrl() + "   (health details " + managementUrl() + "/health, readiness "
                        + "/health/readiness, metrics " + managementUrl() + "/prometheus; keep it off the public network)",
                "LINE channels     registered through the admin API (connector.channels; access tokens sealed, greetings "
                        + "go out through the channel followed):",
                String.join("\n", channels),
                "WORKS callbacks   " + url + "/webhooks/works/" + DemoTenant.TENANT + "   (X-WORKS-BotId " + DemoTenant.WORKS_BOT_ID
                        + ", member '" + DemoTenant.WORKS_MEMBER + "')",
                "LINE stand-in     " + standIn.baseUrl() + "   (greetings land here; see the log)",
                "Demo tenant       '" + DemoTenant.TENANT + "', LINE members " + DemoTenant.LINE_MEMBERS,
                "Secrets           " + options.dataDir().toAbsolutePath().resolve("demo-secrets.properties"),
                "",
                "A signed LINE follow (friend-add) webhook through " + member + "'s channel, ready to paste (after "
                        + "'members reset-urls' it is a follow through the new URL: accepted, no restart):",
                "  curl -sS -X POST " + url + follow.path() + " -H 'Content-Type: application/json' \\",
                "       -H 'x-line-signature: " + sig + "' \\",
                "       --data-binary '" + body + "'",
                "",
                "CLI (in another terminal, from the repository root):",
                "  export CONNECTOR_ADMIN_URL=" + url + " CONNECTOR_ADMIN_TOKEN=" + secrets.tenantAdminToken(),
                "  " + cli + " settings get -t demo -c LINE",
                "  " + cli + " members list -t demo -c LINE",
                "  " + cli + " members reset-urls -t demo -c LINE --reason 'leaked' " + member,
                "  " + cli + " channels list -t demo -c LINE",
                "  " + cli + " impact -t demo -c LINE --disable",
                "  CONNECTOR_ADMIN_TOKEN=" + secrets.auditorToken() + " " + cli + " audit search -t demo --limit 20   (auditor)",
                "  CONNECTOR_ADMIN_TOKEN=" + secrets.auditorToken() + " " + cli + " audit tail -t demo",
                "  " + AuditKeys.ENV_FILE + "=" + secrets.auditChainKeysFile() + " " + cli + " audit verify --bootstrap "
                        + kafka.bootstrapServers() + (options.topicPrefix().isEmpty() ? "" : " --topic-prefix " + options.topicPrefix()),
                "Operator token (plan changes): " + secrets.operatorToken(),
                "Ctrl-C stops everything cleanly; the next start keeps all data.",
                "========================================================================");
    }

    /**
     * Before the broker had a fixed port, the local stack ran Kafka's test kit, which keeps its data
     * in other directories. Starting a fresh broker beside them would leave the stream state and
     * the demo's settings pointing at topics that are gone, so say what to do instead.
     */
    private static void refuseOldBrokerLayout(Path kafkaDir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(kafkaDir)) {
            return;
        }
        try (var dirs = java.nio.file.Files.list(kafkaDir)) {
            List<Path> old = dirs.filter(d -> !d.getFileName().toString().equals("node-1"))
                    .filter(d -> java.nio.file.Files.exists(d.resolve("meta.properties"))).toList();
            if (!old.isEmpty()) {
                throw new IllegalStateException(kafkaDir + " holds broker data of an older local stack (" + old.get(0).getFileName()
                        + "); the embedded broker now keeps its data in " + kafkaDir.resolve("node-1")
                        + ". Delete " + kafkaDir.getParent() + " to start afresh, or set LOCAL_DATA_DIR to another directory.");
            }
        }
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
