package io.connectorgateway.greeting;

import static io.connectorgateway.greeting.GreetingHarness.TENANT;
import static io.connectorgateway.greeting.GreetingHarness.TOKEN;
import static io.connectorgateway.greeting.GreetingHarness.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The service as it is deployed: its own JVM, configured by environment, stopped by SIGTERM. */
@ExtendWith(KafkaBrokerExtension.class)
class GreetingBotApplicationBrokerTest {

    @Test
    void runsFromItsEnvironmentAndStopsCleanlyOnSigterm(KafkaBroker broker, KafkaBroker.Namespace ns, @TempDir Path dir)
            throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns)) {
            Path log = dir.resolve("bot.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), GreetingBotApplication.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("CONNECTOR_TOPIC_PREFIX", ns.topicPrefix());
            env.put("CONNECTOR_TOPIC_PARTITIONS", "2");
            env.put("GREETING_GROUP_ID", ns.appId("app"));
            env.put("GREETING_INSTANCE_ID", "app-test");
            env.put("LINE_API_BASE_URL", h.line.baseUrl().toString());
            env.put("CONNECTOR_CHANNEL_KEYS", h.channelKeys); // the token: the registered channel of acme's m-1
            env.put("GREETING_MAX_AGE_MS", Long.toString(TimeUnit.DAYS.toMillis(365L * 100)));
            env.put("GREETING_PORT", "-1");
            Process process = pb.start();
            try {
                GreetingCommand cmd = h.command(TENANT, "U-app", "Welcome!", null);
                h.send(cmd);
                try {
                    h.auditUntil(has(AuditKind.GREETING_SENT, cmd.commandId()));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; bot output:\n" + Files.readString(log), e);
                }
                assertEquals(1, h.line.acceptedFor("U-app").size());
                assertEquals(TOKEN, h.line.acceptedFor("U-app").get(0).token(), "the registered channel's token");

                process.destroy(); // SIGTERM
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped within a minute of SIGTERM");
                List<String> lines = Files.readAllLines(log);
                assertTrue(lines.stream().anyMatch(l -> l.contains("greeting bot stopped (STOPPED)")), String.join("\n", lines));
                assertEquals(143, process.exitValue(), "terminated by SIGTERM after the shutdown hook ran");
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
