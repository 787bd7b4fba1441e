package io.connectorgateway.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./run-local.sh --demo-traffic}, faster: the simulated platform and admins make the rules
 * act in every way the demo promises to show, and the live summary counts them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DemoTrafficBrokerTest {

    @Test
    void demoTrafficShowsEveryKindOfDecision(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        var options = new LocalStack.Options(Files.createTempDirectory("demo"), broker.bootstrapServers(), ns.topicPrefix(), 2,
                -1, 0, 0, 0);
        // Delivered, stripped or blocked attachments, friend-adds with greetings, contact-adds, the
        // WORKS connector switched off (rooms dropped, traffic refused) and on, settings audited.
        Set<AuditKind> expected = EnumSet.of(AuditKind.DELIVERED, AuditKind.STRIPPED, AuditKind.BLOCKED, AuditKind.ROOM_OPENED,
                AuditKind.GREETING_SENT, AuditKind.ROOM_DROPPED, AuditKind.REFUSED, AuditKind.SETTINGS_CHANGED);
        Map<AuditKind, Long> counts;
        try (LocalStack stack = LocalStack.start(options);
                DemoTraffic traffic = new DemoTraffic(stack, Duration.ofMillis(15), 40, Duration.ofSeconds(2))) {
            traffic.start();
            long deadline = System.nanoTime() + KafkaBroker.patience().toNanos() * 2;
            do {
                Thread.sleep(500);
                counts = traffic.counts();
            } while (!counts.keySet().containsAll(expected) && System.nanoTime() < deadline);
        }
        assertTrue(counts.keySet().containsAll(expected), "decisions seen: " + counts + ", expected at least " + expected);
    }
}
