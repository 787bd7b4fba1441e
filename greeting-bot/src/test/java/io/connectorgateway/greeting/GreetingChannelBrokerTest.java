package io.connectorgateway.greeting;

import static io.connectorgateway.greeting.GreetingHarness.about;
import static io.connectorgateway.greeting.GreetingHarness.has;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.linestandin.LinePushStandIn.PushCall;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 6: a greeting goes out through the LINE channel the user followed, with that
 * channel's access token from {@code connector.channels}, never another member's or a tenant-wide
 * one; a change of the registry is in force for the next greeting without a restart.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GreetingChannelBrokerTest {
    private static final String T = "acme";

    @Test
    void theGreetingUsesTheFollowedChannelsTokenAndARotationWithoutARestart(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (GreetingHarness h = new GreetingHarness(broker, ns, 4, Map.of())) {
            h.register(T, "alice", "1650000001", "token-alice");
            h.register(T, "bob", "1650000002", "token-bob");
            h.line.addToken("token-alice");
            h.line.addToken("token-bob");
            h.startBot(h.config());

            // Followed through alice's channel: alice's token, never bob's.
            GreetingCommand viaAlice = h.command(T, "alice", "1650000001", "U-a1", "Hi", null);
            h.send(viaAlice);
            h.auditUntil(has(AuditKind.GREETING_SENT, viaAlice.commandId()));
            assertEquals(List.of("token-alice"), tokensTo(h, "U-a1"));

            // bob's followers get bob's token.
            GreetingCommand viaBob = h.command(T, "bob", "1650000002", "U-b1", "Hi", null);
            h.send(viaBob);
            h.auditUntil(has(AuditKind.GREETING_SENT, viaBob.commandId()));
            assertEquals(List.of("token-bob"), tokensTo(h, "U-b1"));

            // A command naming bob's channel for alice is not sent through bob's channel.
            GreetingCommand crossed = h.command(T, "alice", "1650000002", "U-x", "Hi", null);
            h.send(crossed);
            String reason = reason(h, crossed);
            assertTrue(reason.contains("not a channel of member alice"), reason);
            assertEquals(List.of(), tokensTo(h, "U-x"));

            // The access token is rotated while the bot runs: the next greeting uses the new one.
            h.register(T, "alice", "1650000001", "token-alice-2");
            h.line.addToken("token-alice-2");
            long rotatedAt = System.nanoTime();
            List<String> used = List.of();
            for (int i = 0; i < 50 && !used.equals(List.of("token-alice-2")); i++) {
                // "within seconds": greet new users until one gets the new token (normally the first)
                GreetingCommand after = h.command(T, "alice", "1650000001", "U-a2-" + i, "Hi", null);
                h.send(after);
                h.auditUntil(rs -> !about(rs, after.commandId()).isEmpty());
                used = tokensTo(h, after.lineUserId());
                if (!used.equals(List.of("token-alice-2"))) {
                    Thread.sleep(100);
                }
            }
            assertEquals(List.of("token-alice-2"), used, "the rotated token is in force without a restart");
            long seconds = (System.nanoTime() - rotatedAt) / 1_000_000_000L;
            assertTrue(seconds < 10, "in force within seconds, took " + seconds + " s");

            // Earlier releases' commands name no channel: the member's current registered channel.
            GreetingCommand old = h.command(T, "alice", null, "U-old", "Hi", null);
            h.send(old);
            h.auditUntil(has(AuditKind.GREETING_SENT, old.commandId()));
            assertEquals(List.of("token-alice-2"), tokensTo(h, "U-old"));

            // alice gets a new channel: a greeting for a follow through the replaced one is not sent
            // through the new one (the user is not its friend), and says why.
            h.register(T, "alice", "1650000003", "token-alice-3");
            h.line.addToken("token-alice-3");
            Thread.sleep(1_000);
            GreetingCommand viaOld = h.command(T, "alice", "1650000001", "U-a3", "Hi", null);
            h.send(viaOld);
            reason = reason(h, viaOld);
            assertTrue(reason.contains("no longer member alice's current channel"), reason);
            assertEquals(List.of(), tokensTo(h, "U-a3"));
        }
    }

    @Test
    void aMemberWithoutATokenGetsGreetingFailedWithTheReasonAndNoFallback(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        // acme's m-1 has a channel with a token; that must never stand in for another member.
        try (GreetingHarness h = new GreetingHarness(broker, ns, 2, Map.of(T, "token-acme"))) {
            h.register(T, "carol", "1650000004", null);
            h.startBot(h.config());

            GreetingCommand noToken = h.command(T, "carol", "1650000004", "U-c", "Hi", null);
            h.send(noToken);
            String reason = reason(h, noToken);
            assertTrue(reason.contains("LINE channel 1650000004 of member carol has no access token registered"), reason);

            GreetingCommand noChannel = h.command(T, "dave", null, "U-d", "Hi", null);
            h.send(noChannel);
            reason = reason(h, noChannel);
            assertTrue(reason.contains("member dave has no LINE channel registered"), reason);

            h.retire(T, "carol");
            GreetingCommand retired = h.command(T, "carol", null, "U-c2", "Hi", null);
            h.send(retired);
            reason = reason(h, retired);
            assertTrue(reason.contains("no current LINE channel"), reason);

            assertTrue(h.line.calls().isEmpty(), "nothing was pushed, with m-1's token or any other: " + h.line.calls());
            assertEquals(3, h.deadLettersUntil(ds -> ds.size() >= 3).size(), "each failure dead-lettered");
        }
    }

    private static String reason(GreetingHarness h, GreetingCommand c) {
        List<AuditRecord> audit = h.auditUntil(has(AuditKind.GREETING_FAILED, c.commandId()));
        return about(audit, c.commandId()).get(0).detail().get("reason");
    }

    private static List<String> tokensTo(GreetingHarness h, String user) {
        return h.line.calls().stream().filter(c -> user.equals(c.to())).map(PushCall::token).toList();
    }
}
