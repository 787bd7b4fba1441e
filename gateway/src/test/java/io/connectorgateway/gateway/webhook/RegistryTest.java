package io.connectorgateway.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.ApplicationContextConfiguration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTest {

    private static Registry from(Map<String, Object> properties) {
        Environment env = new DefaultEnvironment(new ApplicationContextConfiguration() {
            @Override
            public List<String> getEnvironments() {
                return List.of("registry-test");
            }
        });
        env.addPropertySource(PropertySource.of("test", properties));
        env.start();
        try {
            return Registry.fromConfiguration(env);
        } finally {
            env.stop();
        }
    }

    private static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put("gateway.line.channels.a.destination", "Uaaa");
        p.put("gateway.line.channels.a.tenant", "acme");
        p.put("gateway.line.channels.a.member", "alice");
        p.put("gateway.line.channels.a.url-token", "tok1");
        p.put("gateway.line.channels.a.secrets", "s1, s2");
        p.put("gateway.works.bots.b.bot-id", "2000001");
        p.put("gateway.works.bots.b.tenant", "acme");
        p.put("gateway.works.bots.b.member", "bob");
        p.put("gateway.works.bots.b.secrets", List.of("w1"));
        return p;
    }

    @Test
    void readsChannelsAndBots() {
        Registry r = from(valid());
        LineChannel a = r.lineChannel("a").orElseThrow();
        assertEquals("Uaaa", a.destination());
        assertEquals("alice", a.memberId());
        assertEquals("tok1", a.urlToken());
        assertEquals(2, a.secrets().size());
        assertEquals("bob", r.worksBot("2000001").orElseThrow().memberId());
        assertTrue(r.worksBot("other").isEmpty());
        assertTrue(r.lineChannel("b").isEmpty());
    }

    @Test
    void aBrokenEntryNamesTheProperty() {
        Map<String, Object> p = valid();
        p.remove("gateway.line.channels.a.url-token");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(p));
        assertTrue(e.getMessage().contains("gateway.line.channels.a") && e.getMessage().contains("url-token"), e.getMessage());

        Map<String, Object> noSecret = valid();
        noSecret.remove("gateway.works.bots.b.secrets");
        e = assertThrows(IllegalArgumentException.class, () -> from(noSecret));
        assertTrue(e.getMessage().contains("gateway.works.bots.b.secrets"), e.getMessage());
    }

    @Test
    void twoChannelsCannotShareADestination() {
        Map<String, Object> p = valid();
        p.put("gateway.line.channels.c.destination", "Uaaa");
        p.put("gateway.line.channels.c.tenant", "acme");
        p.put("gateway.line.channels.c.member", "carol");
        p.put("gateway.line.channels.c.url-token", "tok9");
        p.put("gateway.line.channels.c.secrets", "s9");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(p));
        assertTrue(e.getMessage().contains("same destination"), e.getMessage());
    }
}
