package io.connectorgateway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.connectorgateway.contracts.topic.Topic;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.gateway.admin.AdminConfig;
import io.connectorgateway.gateway.audit.AuditConfig;
import io.connectorgateway.gateway.view.ViewConfig;
import io.connectorgateway.greeting.GreetingBotConfig;
import io.connectorgateway.policy.app.PolicyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine exists here, so docker-compose.yml is checked against the services' real
 * configuration instead: every environment variable it sets is one the service actually reads
 * (found by running the services' own configuration code over a recording environment, or from
 * the gateway's own application.yml and configuration records), ports and health checks agree,
 * and all services see the same topics on the same broker.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
        assertNotNull(services, "docker-compose.yml has services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> s = (Map<String, Object>) services.get(name);
        assertNotNull(s, "service " + name + " is in docker-compose.yml");
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String name) {
        Map<String, String> out = new HashMap<>();
        Map<String, Object> e = (Map<String, Object>) service(name).getOrDefault("environment", Map.of());
        e.forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
        return out;
    }

    /** An environment that remembers which variables the configuration code asked for. */
    static final class RecordingEnv extends HashMap<String, String> {
        final Set<String> asked = new TreeSet<>();

        @Override
        public String get(Object key) {
            asked.add((String) key);
            return super.get(key);
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            asked.add((String) key);
            return super.getOrDefault(key, fallback);
        }

        @Override
        public boolean containsKey(Object key) {
            asked.add((String) key);
            return super.containsKey(key);
        }
    }

    static Set<String> policyKeys() {
        RecordingEnv env = new RecordingEnv();
        env.put("POLICY_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
        env.putAll(io.connectorgateway.testsupport.TestAuditKeys.env());
        PolicyConfig.fromEnvironment(env);
        io.connectorgateway.policy.app.PolicyStreamsApp.healthPort(env);
        return env.asked;
    }

    static Set<String> greetingKeys() {
        RecordingEnv env = new RecordingEnv();
        env.put("CONNECTOR_CHANNEL_KEYS", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        GreetingBotConfig.fromEnvironment(env);
        return env.asked;
    }

    /** The gateway reads ${VARIABLE:default} placeholders in application.yml and Micronaut-bound records. */
    static Set<String> gatewayKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]").matcher(
                Files.readString(ROOT.resolve("gateway/src/main/resources/application.yml")));
        while (m.find()) {
            keys.add(m.group(1));
        }
        for (var c : AdminConfig.class.getRecordComponents()) {
            keys.add("GATEWAY_ADMIN_" + snake(c.getName()));
        }
        for (var c : AuditConfig.class.getRecordComponents()) {
            keys.add("GATEWAY_AUDIT_" + snake(c.getName()));
        }
        for (var c : ViewConfig.class.getRecordComponents()) {
            keys.add("GATEWAY_VIEW_" + snake(c.getName()));
        }
        return keys;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
    }

    private static void assertOnlyKnownKeys(String service, Set<String> known, List<String> prefixes) {
        Set<String> unknown = new TreeSet<>();
        for (String k : env(service).keySet()) {
            boolean ok = known.contains(k) || k.startsWith("KAFKA_CLIENT_") || prefixes.stream().anyMatch(k::startsWith);
            if (!ok) {
                unknown.add(k);
            }
        }
        assertEquals(Set.of(), unknown, service + " sets variables the service never reads; it reads " + known);
    }

    @Test
    void everyVariableIsOneTheServiceReads() throws IOException {
        assertOnlyKnownKeys("policy-streams", policyKeys(), List.of());
        assertOnlyKnownKeys("greeting-bot", greetingKeys(), List.of());
        assertOnlyKnownKeys("gateway", gatewayKeys(), List.of("GATEWAY_LINE_CHANNELS_", "GATEWAY_WORKS_BOTS_"));
    }

    @Test
    void theRecordingReallyRecords() {
        // Guards the check above against passing vacuously.
        assertTrue(policyKeys().containsAll(Set.of("KAFKA_BOOTSTRAP_SERVERS", "POLICY_STATE_DIR", "POLICY_APPLICATION_ID")),
                policyKeys().toString());
        assertTrue(greetingKeys().containsAll(Set.of("KAFKA_BOOTSTRAP_SERVERS", "GREETING_PORT", "LINE_API_BASE_URL",
                        "CONNECTOR_CHANNEL_KEYS")),
                greetingKeys().toString());
    }

    @Test
    void everyServiceReachesTheComposeBrokerAndSeesTheSameTopics() {
        @SuppressWarnings("unchecked")
        Map<String, Object> kafkaEnv = (Map<String, Object>) service("kafka").get("environment");
        String advertised = kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS").toString();
        List<String> names = null;
        for (String s : List.of("policy-streams", "gateway", "greeting-bot")) {
            Map<String, String> e = env(s);
            String bootstrap = e.get("KAFKA_BOOTSTRAP_SERVERS");
            assertNotNull(bootstrap, s + " sets KAFKA_BOOTSTRAP_SERVERS");
            assertTrue(advertised.contains("//" + bootstrap), s + " uses " + bootstrap + ", the broker advertises " + advertised);
            List<String> topicNames = Topics.fromEnvironment(e).all().stream().map(Topic::name).toList();
            if (names == null) {
                names = topicNames;
            } else {
                assertEquals(names, topicNames, s + " sees the same topic names as the others");
            }
        }
        assertTrue(names.contains("connector.line.events") && names.contains("connector.audit"), names.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsHealthChecksAndStartOrderAgree() {
        assertEquals(Integer.toString(8080), env("gateway").get("GATEWAY_PORT"));
        assertEquals(Integer.toString(GreetingBotConfig.DEFAULT_PORT), env("greeting-bot").get("GREETING_PORT"));
        assertEquals(List.of("8080:8080"), service("gateway").get("ports"), "the gateway publishes its public port only");
        // services without a public surface publish nothing: their health details and metrics stay internal
        for (String s : List.of("policy-streams", "greeting-bot")) {
            assertNull(service(s).get("ports"), s + " publishes no port");
        }
        // the gateway's readiness (with details) is on its management port, which is not published
        assertEquals("8090", env("gateway").get("GATEWAY_MANAGEMENT_PORT"));
        assertTrue(((List<Object>) service("gateway").get("ports")).stream().noneMatch(p -> p.toString().contains("8090")),
                "the management port is not published");
        Map<String, String> portVar = Map.of("gateway", "GATEWAY_MANAGEMENT_PORT", "greeting-bot", "GREETING_PORT",
                "policy-streams", "POLICY_HEALTH_PORT");
        for (String s : List.of("policy-streams", "gateway", "greeting-bot")) {
            Map<String, Object> svc = service(s);
            Map<String, Object> health = (Map<String, Object>) svc.get("healthcheck");
            assertNotNull(health, s + " has a health check");
            String test = health.get("test").toString();
            assertTrue(test.contains("localhost/" + env(s).get(portVar.get(s))), s + " health check uses its own port: " + test);
            Map<String, Object> depends = (Map<String, Object>) svc.get("depends_on");
            assertEquals("service_healthy", ((Map<String, Object>) depends.get("kafka")).get("condition"),
                    s + " starts after the broker is healthy");
        }
        assertNotNull(service("kafka").get("healthcheck"), "the broker has a health check");
    }

    @Test
    void everyServiceIsBuiltFromItsModuleWithARealMainClass() throws IOException {
        for (String s : List.of("policy-streams", "gateway", "greeting-bot")) {
            String build = service(s).get("build").toString();
            Path dockerfile = ROOT.resolve(build).normalize().resolve("Dockerfile");
            assertTrue(Files.exists(dockerfile), dockerfile + " exists");
            String text = Files.readString(dockerfile);
            assertTrue(text.contains("target/" + s + ".jar"), s + " image copies the jar the dist profile builds");
            Matcher main = Pattern.compile("\"(io\\.connectorgateway\\.[A-Za-z.]+)\"").matcher(text);
            assertTrue(main.find(), "Dockerfile names a main class");
            try {
                Class<?> c = Class.forName(main.group(1));
                c.getMethod("main", String[].class);
            } catch (ReflectiveOperationException e) {
                fail(s + " Dockerfile starts " + main.group(1) + ", which has no main method: " + e);
            }
            String pom = Files.readString(ROOT.resolve(s).resolve("pom.xml"));
            assertTrue(pom.contains("<id>dist</id>") && pom.contains("<finalName>" + s + "</finalName>"),
                    s + " pom has the dist profile that builds target/" + s + ".jar");
        }
    }
}
