package io.connectorgateway.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A write answered 503 although it was committed, then sent again, while the view is behind: the
 * retry must not be checked against the view without the first write (issue 17's three-broker
 * fault run: plan writes given versions 268 and 270 twice). The view is held back with
 * {@code GatewayView.pause()}, as a broker fault or a rebalance holds it back.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LaggingViewBrokerTest {
    static AdminServer s;

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        s = new AdminServer(broker, ns, Map.of("gateway.admin.read-your-writes-timeout", "3s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    static AdminServer.Answer plan(String plan, String reason) {
        return s.call("PUT", "/admin/v1/tenants/acme/plan", s.operatorToken, Map.of("plan", plan, "reason", reason));
    }

    static List<Long> lineVersions() {
        return s.readAll(s.topics.settings).stream()
                .filter(r -> r != null && r.tenant().equals("acme") && r.connector() == Connector.LINE)
                .map(TenantSettings::version).toList();
    }

    @Test
    void aRetryAfterACommittedWriteAnswered503IsCheckedAgainstThatWrite() throws Exception {
        assertEquals(200, plan("LITE", "contract").status());
        long v = lineVersions().get(lineVersions().size() - 1);

        s.view().pause();
        try {
            AdminServer.Answer first = plan("BASIC", "upgrade");
            assertEquals(503, first.status(), "the view cannot show the write: " + first.body());
            assertTrue(first.body().toString().contains("written but is not visible yet"), first.body().toString());
            assertEquals(List.of(v + 1), lineVersions().subList(lineVersions().size() - 1, lineVersions().size()),
                    "the first write is committed all the same");

            AdminServer.Answer retry = plan("BASIC", "upgrade, again");
            assertEquals(503, retry.status(), "the view is still behind: " + retry.body());
            assertTrue(retry.body().toString().contains("behind what is committed"), retry.body().toString());
            assertEquals(v + 1, lineVersions().get(lineVersions().size() - 1), "nothing written on a view behind");
        } finally {
            s.view().resume();
        }

        AdminServer.Answer third = plan("ADVANCED", "upgrade, once the view is back");
        assertEquals(200, third.status(), third.body().toString());
        long answered = 0;
        for (var row : third.body().path("settings")) {
            if ("LINE".equals(row.path("connector").asText())) {
                answered = row.path("version").asLong();
            }
        }
        assertEquals(v + 2, answered, "the next version after the committed one");
        List<Long> versions = lineVersions();
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(i + 1, versions.get(i), "versions 1, 2, 3 ... each once: " + versions);
        }
    }
}
