package io.connectorgateway.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class SmokeBrokerTest {
    @Test
    void smoke(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        try (AdminServer s = new AdminServer(broker, ns)) {
            var a = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken, null);
            System.out.println(a.status() + " " + a.body() + " " + a.header("ETag"));
            var p = s.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken,
                    Map.of("reason", "try", "permissionMode", "BY_MEMBER"), Map.of("If-Match", "\"0\""));
            System.out.println(p.status() + " " + p.body());
            var q = s.call("PATCH", "/admin/v1/tenants/acme/connectors/LINE/settings", s.acmeToken,
                    Map.of("reason", "try", "enabled", true, "expectedVersion", 1));
            System.out.println(q.status() + " " + q.body());
            var n = s.call("GET", "/admin/v1/tenants/acme/connectors/LINE/settings", null, null);
            System.out.println(n.status() + " " + n.body() + " " + n.header("WWW-Authenticate"));
            assertEquals(200, a.status());
        }
    }
}
