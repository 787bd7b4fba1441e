package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R11 on the real broker: the inputs of a live run, replayed from the start by a fresh
 * application id (what a reset does), give the same decisions.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayBrokerTest {

    /** What a decision is, without the chain fields: the comparison key of a replay. */
    private static String decision(AuditRecord a) {
        return a.auditId() + " " + a.kind() + " " + a.rule() + " v" + a.settingsVersion() + " " + a.eventId() + " "
                + a.roomId() + " " + a.reason();
    }

    @Test
    void aReplayUnderANewApplicationIdGivesTheSameDecisions(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 4)) {
            PolicyStreamsService live = stack.start("live");
            assertTrue(live.awaitRunning(KafkaBroker.patience()));

            // the live run, in phases, as an admin and users would produce it
            stack.settings(settings("acme", Connector.LINE).greeting("hi", null)
                    .restrict(AttachmentAction.STRIP, AttachmentKind.IMAGE).byMember().build());
            stack.member(granted("acme", Connector.LINE, "m1", "t1", 1));
            stack.member(granted("acme", Connector.LINE, "m2", "t2", 1));
            stack.awaitSettings("acme:LINE", 1);
            stack.awaitMember("acme:LINE:m1", 1);
            stack.awaitMember("acme:LINE:m2", 1);
            stack.event(friendAdd("fa-1", "acme", "m1", "U1", "t1"));
            stack.event(friendAdd("fa-2", "acme", "m2", "U2", "t2"));
            stack.event(message("msg-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "a", AttachmentKind.IMAGE));
            stack.event(message("msg-2", "acme", Connector.LINE, "m2", "U2", Direction.OUTBOUND, "b"));
            stack.event(Fixtures.redelivered(friendAdd("fa-1", "acme", "m1", "U1", "t1")));
            stack.read(stack.topics.audit, r -> r.size() >= 5);

            stack.settings(settings("acme", Connector.LINE).version(2).greeting("hi", null)
                    .restrict(AttachmentAction.BLOCK, AttachmentKind.IMAGE).byMember().build());
            stack.awaitSettings("acme:LINE", 2);
            stack.event(message("msg-3", "acme", Connector.LINE, "m1", "U1", Direction.OUTBOUND, "c", AttachmentKind.IMAGE));
            stack.member(removed("acme", Connector.LINE, "m2", 2));
            stack.awaitMember("acme:LINE:m2", 2);
            stack.event(message("msg-4", "acme", Connector.LINE, "m2", "U2", Direction.INBOUND, "d"));
            List<AuditRecord> liveRun = BrokerStack.values(stack.readSettled(stack.topics.audit, r -> r.size() >= 8,
                    Duration.ofSeconds(2)));
            assertEquals(8, liveRun.size(), "" + liveRun);
            assertEquals(Map.of(AuditKind.ROOM_OPENED, 2L, AuditKind.STRIPPED, 1L, AuditKind.DELIVERED, 1L,
                            AuditKind.DUPLICATE, 1L, AuditKind.BLOCKED, 1L, AuditKind.ROOM_DROPPED, 1L, AuditKind.REFUSED, 1L),
                    liveRun.stream().collect(Collectors.groupingBy(AuditRecord::kind, Collectors.counting())));
            live.close();

            // the replay: a new application id reads every input topic from the start, all at once
            PolicyStreamsService replay = stack.start("replay");
            assertTrue(replay.awaitRunning(KafkaBroker.patience()));
            List<AuditRecord> both = BrokerStack.values(stack.readSettled(stack.topics.audit, r -> r.size() >= 16,
                    Duration.ofSeconds(2)));
            List<AuditRecord> replayed = both.subList(liveRun.size(), both.size());

            assertEquals(liveRun.stream().map(ReplayBrokerTest::decision).sorted().toList(),
                    replayed.stream().map(ReplayBrokerTest::decision).sorted().toList());

            // Two writers, two chains for acme: each verifies on its own, and tampering with one is
            // reported for that one only.
            String liveChain = AuditChainVerifier.label("acme", ns.appId("live"));
            String replayChain = AuditChainVerifier.label("acme", ns.appId("replay"));
            var report = AuditChainVerifier.verify(broker.consumerConfig(ns.appId("verify")), stack.topics,
                    io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null), null);
            assertTrue(report.intact(), report.toString());
            assertEquals(2, report.tenants(), "acme has one chain per writer");
            AuditRecord last = replayed.get(replayed.size() - 1);
            AuditRecord altered = new AuditRecord(1, last.auditId(), "acme", last.connector(), last.kind(), last.rule(),
                    "rewritten", last.settingsVersion(), last.timestamp(), last.eventId(), last.roomId(), last.memberId(),
                    last.externalUserId(), last.direction(), last.actor(), last.contentDigest(), last.attachmentKinds(), null,
                    null, last.detail(), last.chain(), last.hash(), last.hash());
            stack.send(stack.topics.audit, "acme", altered);
            var broken = AuditChainVerifier.verify(broker.consumerConfig(ns.appId("verify2")), stack.topics,
                    io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null), null);
            assertEquals(java.util.Set.of(replayChain), broken.firstBreakByTenant().keySet(), broken.toString());
            assertTrue(!broken.firstBreakByTenant().containsKey(liveChain));
        }
    }
}
