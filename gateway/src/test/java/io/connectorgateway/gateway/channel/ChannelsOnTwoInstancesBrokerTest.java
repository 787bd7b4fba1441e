package io.connectorgateway.gateway.channel;

import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminServer;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R5 through follow webhooks with two gateway instances (issue 13, item 4): every change is made on
 * one instance and the next follow sent to the other, for a tenant owned by either.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ChannelsOnTwoInstancesBrokerTest {
    @Test
    void changesOnOneInstanceAreInForceForFollowsSentToTheOther(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (AdminServer a = new AdminServer(broker, ns)) {
            Map<String, Object> same = Map.of(
                    "gateway.admin.instance-id", ns.appId("second"),
                    "gateway.admin.credentials", List.of(
                            "alice:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(a.acmeToken),
                            "olga:OPERATOR:*:" + AdminCredentials.sha256Hex(a.operatorToken)));
            try (AdminServer b = new AdminServer(broker, ns, same)) {
                AdminServer.awaitSplit(a, b, 2);
                // with two partitions over two instances, some of these tenants are owned by a, some by b
                for (String tenant : List.of("initech", "hooli", "umbrella")) {
                    new FollowScenario(a, b, tenant).byMember();
                }
            }
        }
    }
}
