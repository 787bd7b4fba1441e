package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.dlq.DeadLetter;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream thread that dies under static membership (issue 17's finding: the transaction
 * coordinator answered {@code EndTxn} with {@code UNKNOWN_SERVER_ERROR} and Kafka Streams let the
 * thread die). Kafka Streams replaces it ({@code REPLACE_THREAD}) under a new thread index and keeps
 * the dead thread's static member in the group; without {@code StaticMembers} the rebalance waited
 * for that member's session timeout, and a later restart (threads numbered from 1 again) waited
 * for the replacement's member. Here the thread is killed on the real broker by a processing
 * exception handler that answers "fail" once, and the session timeout is 60 s: both waits must be
 * far shorter than that.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamThreadReplacementBrokerTest {
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(60);
    /** Well under the session timeout: a rebalance that waited for a dead member cannot make it. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String KILLER = "kill-the-thread";

    /**
     * The product's handler (poison to the DLQ, go on), except that the first time it sees the
     * marked poison record it answers "fail": Kafka Streams then lets the stream thread die, as it
     * does on an unexpected error (a transaction that cannot be ended, a bug).
     */
    public static final class FailOnceHandler extends LogAndContinueProcessingExceptionHandler {
        static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (String.valueOf(exception.getMessage()).contains(KILLER) && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Response.fail();
            }
            return super.handleError(context, record, exception);
        }
    }

    @Test
    void aReplacedStreamThreadDoesNotHoldThePartitionsUntilTheSessionTimeoutNorDoesItsMemberAfterARestart(
            KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, 1)) {
            Path config = Files.createTempFile("policy-fail-once", ".properties");
            Files.writeString(config, "processing.exception.handler=" + FailOnceHandler.class.getName() + "\n");
            String instance = ns.appId("instance");
            Map<String, String> env = Map.of("POLICY_INSTANCE_ID", instance, "POLICY_CONFIG_FILE", config.toString(),
                    "KAFKA_CLIENT_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
            String group = ns.appId("policy");

            PolicyStreamsService first = stack.start("policy", env);
            assertTrue(first.awaitRunning(KafkaBroker.patience()));
            stack.settings(settings("acme", Connector.LINE).version(1).build());
            stack.awaitSettings("acme:LINE", 1);
            stack.event(event("before"));
            awaitDecision(stack, "before");
            assertEquals(Set.of(instance + "-1"), members(broker, group));

            // The poison kills StreamThread-1; the event behind it on the same partition is
            // decided only once a live thread owns the partition again.
            FailOnceHandler.FAILURES_LEFT.set(1);
            ConnectorEvent poison = message(KILLER, "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "x");
            long killed = System.nanoTime();
            stack.send(stack.topics.lineEvents, "room-7", poison);
            stack.event(event("after-replacement"));
            awaitDecision(stack, "after-replacement");
            Duration replaced = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("thread killed -> next decision: %d ms (session timeout %d ms)%n", replaced.toMillis(),
                    SESSION_TIMEOUT.toMillis());
            assertEquals(0, FailOnceHandler.FAILURES_LEFT.get(), "the handler failed the thread once");
            assertTrue(replaced.compareTo(BOUND) < 0, "partition processed again after " + replaced
                    + ": the rebalance waited for the dead thread's member");
            assertEquals(Set.of(instance + "-2"), members(broker, group),
                    "the replacement thread is the only member; the dead thread's was removed");
            List<ConsumerRecord<byte[], byte[]>> dlq = stack.readRaw(stack.topics.dlq.name(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(), r -> !r.isEmpty());
            assertEquals(1, dlq.size(), "the poison, re-processed by the new thread, dead-lettered once");
            assertEquals("room-7", new String(DeadLetter.fromRecord(dlq.get(0)).key(), StandardCharsets.UTF_8));

            // A crash (the process dies: its member stays in the group) and a restart under the same
            // instance id: the new run's thread is -1 again, and the replacement's member -2 must
            // not hold the partition until its session timeout.
            first.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            assertEquals(Set.of(instance + "-2"), members(broker, group), "the crashed run's member stayed in the group");
            long restarted = System.nanoTime();
            PolicyStreamsService second = stack.start("policy", env);
            assertTrue(second.awaitRunning(KafkaBroker.patience()));
            stack.event(event("after-restart"));
            awaitDecision(stack, "after-restart");
            Duration rejoined = Duration.ofNanos(System.nanoTime() - restarted);
            System.out.printf("restart -> next decision: %d ms%n", rejoined.toMillis());
            assertTrue(rejoined.compareTo(BOUND) < 0, "decisions resumed " + rejoined
                    + " after the restart: it waited for the replacement thread's member");
            assertEquals(Set.of(instance + "-1"), members(broker, group), "the restart is back under its own member id");

            List<String> decided = BrokerStack.values(stack.readSettled(stack.topics.audit, r -> r.size() >= 3,
                    Duration.ofSeconds(2))).stream().map(AuditRecord::eventId).toList();
            assertEquals(List.of("before", "after-replacement", "after-restart"), decided, "each event decided once");
        }
    }

    private static ConnectorEvent event(String id) {
        return message(id, "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "hello");
    }

    private static void awaitDecision(BrokerStack stack, String eventId) {
        List<AuditRecord> audit = BrokerStack.values(stack.read(stack.topics.audit,
                r -> r.stream().anyMatch(a -> eventId.equals(a.value().eventId()))));
        assertTrue(audit.stream().anyMatch(a -> eventId.equals(a.eventId())), eventId + " not decided");
    }

    /** The group.instance.ids of the group's members now. */
    private static Set<String> members(KafkaBroker broker, String group) throws Exception {
        try (var admin = broker.admin()) {
            Set<String> out = new TreeSet<>();
            admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()
                    .forEach(m -> m.groupInstanceId().ifPresent(out::add));
            return out;
        }
    }
}
