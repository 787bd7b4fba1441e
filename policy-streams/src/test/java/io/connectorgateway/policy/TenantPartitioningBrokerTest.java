package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.contactAdd;
import static io.connectorgateway.policy.Fixtures.friendAdd;
import static io.connectorgateway.policy.Fixtures.granted;
import static io.connectorgateway.policy.Fixtures.joined;
import static io.connectorgateway.policy.Fixtures.left;
import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.removed;
import static io.connectorgateway.policy.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.topic.TenantPartitioner;
import io.connectorgateway.policy.app.PolicyStreamsService;
import io.connectorgateway.policy.state.PolicyStores;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SPEC "Partitioning" on the real broker, 8 partitions, 12 tenants: two instances give, tenant by
 * tenant and in order, the same decisions as one; each instance's stores hold only tenants of the
 * partitions it owns; every tenant's chain (one per writer) verifies.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TenantPartitioningBrokerTest {
    private static final int PARTITIONS = 8;
    private static final int TENANTS = 12;

    private static String decision(AuditRecord a) {
        return a.auditId() + " " + a.kind() + " " + a.rule() + " v" + a.settingsVersion() + " " + a.roomId();
    }

    /** Per tenant, that writer's decisions in chain order. */
    private static Map<String, List<String>> byTenant(List<AuditRecord> audit, String chain) {
        Map<String, List<String>> out = new TreeMap<>();
        audit.stream().filter(a -> chain.equals(a.chain()))
                .forEach(a -> out.computeIfAbsent(a.tenant(), t -> new ArrayList<>()).add(decision(a)));
        return out;
    }

    @Test
    void twoInstancesDecideAsOneAndHoldOnlyTheTenantsOfTheirPartitions(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        try (BrokerStack stack = new BrokerStack(broker, ns, PARTITIONS)) {
            PolicyStreamsService a = stack.start("pair");
            PolicyStreamsService b = stack.start("pair");
            assertTrue(a.awaitRunning(KafkaBroker.patience()) && b.awaitRunning(KafkaBroker.patience()));
            BrokerStack.awaitInstancesRunTasks(a.streams(), b.streams());

            List<String> tenants = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                tenants.add("tenant" + t);
            }
            Set<Integer> used = tenants.stream().map(t -> TenantPartitioner.partition(t, PARTITIONS)).collect(Collectors.toSet());
            assertTrue(used.size() >= 5, "the tenants spread over partitions: " + used);

            for (String t : tenants) {
                stack.settings(settings(t, Connector.LINE).greeting("hi", null)
                        .restrict(AttachmentAction.STRIP, AttachmentKind.IMAGE).byMember().build());
                stack.settings(settings(t, Connector.WORKS).build());
                for (int m = 0; m < 3; m++) {
                    stack.member(granted(t, Connector.LINE, "m" + m, t + "-tok" + m, 1));
                }
                stack.directory(joined(t + "-j1", t, "m9"));
            }
            for (String t : tenants) {
                for (int m = 0; m < 3; m++) {
                    stack.event(friendAdd(t + "-fa" + m, t, "m" + m, "U" + m, t + "-tok" + m));
                    stack.event(message(t + "-msg" + m, t, Connector.LINE, "m" + m, "U" + m, Direction.INBOUND, "hi",
                            AttachmentKind.IMAGE));
                }
                stack.event(friendAdd(t + "-stale", t, "m0", "U7", "not-the-token"));
                stack.event(contactAdd(t + "-ca", t, "m1", "ext@x"));
                stack.event(message(t + "-w", t, Connector.WORKS, "m1", "ext@x", Direction.OUTBOUND, "w"));
            }
            for (int i = 0; i < tenants.size(); i++) {
                String t = tenants.get(i);
                switch (i % 3) {
                    case 0 -> stack.settings(settings(t, Connector.LINE).version(2).enabled(false).build());
                    case 1 -> stack.member(removed(t, Connector.LINE, "m1", 2));
                    default -> stack.directory(left(t + "-l2", t, "m2"));
                }
                stack.event(message(t + "-after", t, Connector.LINE, "m2", "U2", Direction.OUTBOUND, "late"));
            }
            // per tenant: 3 opens + 3 strips + stale + contact-add + works message + the change's drops + late
            List<AuditRecord> live = BrokerStack.values(stack.readSettled(stack.topics.audit,
                    r -> r.size() >= TENANTS * 10, Duration.ofSeconds(3)));
            Map<String, List<String>> pair = byTenant(live, ns.appId("pair"));
            assertEquals(TENANTS, pair.size(), "every tenant decided: " + pair.keySet());

            // No instance holds a tenant of a partition it does not own, in any store.
            Map<Integer, String> owners = new TreeMap<>();
            for (PolicyStreamsService s : List.of(a, b)) {
                String name = s == a ? "a" : "b";
                for (String store : List.of(PolicyStores.SETTINGS, PolicyStores.MEMBERS, PolicyStores.DIRECTORY,
                        PolicyStores.ROOMS, PolicyStores.AUDIT_CHAIN_HEADS)) {
                    BrokerStack.keysByPartition(s, store, PARTITIONS).forEach((partition, keys) -> {
                        owners.merge(partition, name, (x, y) -> x.equals(y) ? x : x + "+" + y);
                        for (String key : keys) {
                            assertEquals(partition.intValue(), TenantPartitioner.partitionOfKey(key, PARTITIONS),
                                    "instance " + name + " holds " + key + " in " + store + " of partition " + partition);
                        }
                    });
                }
            }
            assertTrue(owners.values().stream().noneMatch(o -> o.contains("+")), "one active owner each: " + owners);
            assertTrue(owners.containsValue("a") && owners.containsValue("b"), "both instances own partitions: " + owners);
            Set<String> settingsHeld = new HashSet<>();
            for (PolicyStreamsService s : List.of(a, b)) {
                BrokerStack.keysByPartition(s, PolicyStores.SETTINGS, PARTITIONS).values().forEach(settingsHeld::addAll);
            }
            assertEquals(TENANTS * 2, settingsHeld.size(), "each settings row is held once, by its tenant's partition");
            a.close();
            b.close();

            // One instance, replaying the same inputs under its own application id, decides the same, tenant by tenant.
            PolicyStreamsService single = stack.start("single");
            assertTrue(single.awaitRunning(KafkaBroker.patience()));
            int livePairRecords = pair.values().stream().mapToInt(List::size).sum();
            List<AuditRecord> both = BrokerStack.values(stack.readSettled(stack.topics.audit,
                    r -> r.size() >= live.size() + livePairRecords, Duration.ofSeconds(3)));
            Map<String, List<String>> one = byTenant(both, ns.appId("single"));
            assertEquals(pair, one);

            var report = AuditChainVerifier.verify(broker.consumerConfig(ns.appId("verify")), stack.topics,
                    io.connectorgateway.contracts.audit.AuditKeys.parse(io.connectorgateway.testsupport.TestAuditKeys.KEYS, null), null);
            assertTrue(report.intact(), report.toString());
            assertEquals(TENANTS * 2, report.tenants(), "one chain per tenant and writer");
            assertFalse(one.isEmpty());
        }
    }
}
