package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.gateway.view.GatewayView;
import io.connectorgateway.gateway.view.ViewTopology;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway restarted on its view state directory answers at once from its checkpointed stores:
 * it neither re-reads the topics from the beginning nor restores the stores from their changelogs.
 * (And the audit store's changelog is compacted like connector.history.)
 */
@ExtendWith(KafkaBrokerExtension.class)
class ViewRestartBrokerTest {

    @Test
    void aRestartResumesFromTheCheckpointInsteadOfRereadingTheHistory(KafkaBroker broker, KafkaBroker.Namespace ns)
            throws Exception {
        Path state = Files.createTempDirectory("gateway-view-state");
        String members = "/admin/v1/tenants/acme/connectors/LINE/members";
        List<String> ids = IntStream.range(0, 300).mapToObj(i -> "m" + i).toList();
        String operator;
        long applied;
        try (AdminServer first = new AdminServer(broker, ns, Map.of("gateway.view.state-dir", state.toString()))) {
            operator = first.operatorToken;
            for (String m : ids) {
                var e = DirectoryEvent.of("dir-" + m, "acme", m, DirectoryEvent.Type.JOINED, System.currentTimeMillis());
                first.publish(first.topics.directoryEvents, e.key(), e);
            }
            eventually("300 members known", () -> first.call("POST", members, operator,
                    Map.of("add", ids, "reason", "bulk"), Map.of()).status() == 200);
            eventually("the change audited", () -> first.call("GET", "/admin/v1/tenants/acme/audit?kind=MEMBERS_CHANGED",
                    operator, null).body().get("items").size() == 1);
            applied = first.view().recordsApplied();
            assertTrue(applied >= 600, "the first run applied the directory and the member rows: " + applied);

            // The audit store's changelog also holds history entries: it forgets an unsent message's
            // content within the same bound as connector.history.
            String changelog = GatewayView.applicationId(first.topics) + "-" + ViewTopology.AUDIT + "-changelog";
            try (Admin admin = broker.admin()) {
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
                var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                for (String key : List.of("max.compaction.lag.ms", "segment.ms", "delete.retention.ms")) {
                    assertEquals(first.topics.history.configs().get(key), config.get(key).value(), key);
                }
                assertEquals("compact", config.get("cleanup.policy").value());
            }
        }
        Map<String, Object> again = Map.of("gateway.view.state-dir", state.toString(), "gateway.admin.credentials",
                List.of("olga:OPERATOR:*:" + AdminCredentials.sha256Hex(operator)));
        try (AdminServer second = new AdminServer(broker, ns, again)) {
            var listed = second.call("GET", members, operator, null);
            assertEquals(200, listed.status(), String.valueOf(listed.body()));
            assertEquals(300, listed.body().get("members").size());
            assertEquals(1, second.call("GET", "/admin/v1/tenants/acme/audit?kind=MEMBERS_CHANGED", operator, null)
                    .body().get("items").size());
            long reread = second.view().recordsApplied() + second.view().recordsRestored();
            assertTrue(reread < applied / 10, "the restart re-read " + reread + " records of the " + applied
                    + " the first run applied");
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
