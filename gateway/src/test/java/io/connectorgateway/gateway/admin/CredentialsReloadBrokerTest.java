package io.connectorgateway.gateway.admin;

import static io.connectorgateway.gateway.admin.AdminServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.testsupport.KafkaBroker;
import io.connectorgateway.testsupport.KafkaBrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Credentials added and revoked without a restart, through the credentials file: in force within
 * the reload interval, each change audited, a bad file refused with the line named while the last
 * good set stays in force, a bad file at startup stops the start with the same message.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CredentialsReloadBrokerTest {
    static AdminServer s;
    static Path dir;
    static Path file;
    static final String FRED = AdminCredentials.newToken();
    static final String GWEN = AdminCredentials.newToken();
    static final String OTTO = AdminCredentials.newToken();

    @BeforeAll
    static void start(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        dir = Files.createTempDirectory("credentials");
        file = dir.resolve("admin-credentials");
        write("# the admins of acme\nfred:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(FRED) + "\n");
        s = new AdminServer(broker, ns, Map.of("gateway.admin.credential-file", file.toString(),
                "gateway.admin.credential-reload", "200ms"));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** Replaces the file as an operator should: a complete new file renamed over the old one. */
    static void write(String content) throws IOException {
        Path tmp = dir.resolve("admin-credentials.tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static int settings(String tenant, String token) {
        return s.call("GET", "/admin/v1/tenants/" + tenant + "/connectors/LINE/settings", token, null).status();
    }

    static List<AuditRecord> credentialRecords() {
        return s.readAll(s.topics.auditIntake).stream().filter(r -> r.kind() == AuditKind.CREDENTIALS_CHANGED).toList();
    }

    @Test
    void addedAndRevokedWithoutARestartEachChangeAuditedABadFileKeepsTheLastGoodSet() throws Exception {
        assertEquals(200, settings("acme", FRED), "the file's credential is in force from the start");
        assertEquals(401, settings("globex", GWEN));

        // add gwen (globex) and an operator, revoke fred
        long t0 = System.nanoTime();
        write("gwen:TENANT_ADMIN:globex:" + AdminCredentials.sha256Hex(GWEN) + "\n"
                + "otto:OPERATOR:*:" + AdminCredentials.sha256Hex(OTTO) + "\n");
        eventually("gwen in force", () -> settings("globex", GWEN) == 200);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("credentials change in force after " + tookMs + " ms (reload every 200 ms)");
        assertTrue(tookMs < 5_000, "in force within seconds, took " + tookMs + " ms");
        assertEquals(401, settings("acme", FRED), "revoked");
        assertEquals(200, settings("acme", OTTO));
        assertEquals(200, settings("acme", s.acmeToken), "the configured credentials stay");

        eventually("three changes audited", () -> credentialRecords().size() == 3);
        Map<String, AuditRecord> byCredential = new java.util.HashMap<>();
        credentialRecords().forEach(r -> byCredential.put(r.detail().get("credential"), r));
        assertEquals("acme", byCredential.get("fred").tenant());
        assertEquals("revoked", byCredential.get("fred").detail().get("change"));
        assertEquals("globex", byCredential.get("gwen").tenant());
        assertEquals("added", byCredential.get("gwen").detail().get("change"));
        assertEquals("_platform", byCredential.get("otto").tenant(), "operators belong to no tenant");
        assertEquals(Actor.Role.SYSTEM, byCredential.get("otto").actor().role());
        assertNotNull(byCredential.get("otto").detail().get("instance"));
        credentialRecords().forEach(r -> assertTrue(!r.toString().contains(AdminCredentials.sha256Hex(GWEN))
                && !r.toString().contains(GWEN), "neither tokens nor their hashes in the trail"));

        // a bad file: refused with the line, the last good set stays
        CredentialsReloader reloader = s.context.getBean(CredentialsReloader.class);
        write("gwen:TENANT_ADMIN:globex:" + AdminCredentials.sha256Hex(GWEN) + "\nmallory:ROOT:acme:abc\n");
        eventually("the bad file refused", () -> reloader.problem() != null);
        assertTrue(reloader.problem().contains("line 2"), reloader.problem());
        assertEquals(200, settings("globex", GWEN));
        assertEquals(200, settings("acme", OTTO), "otto is still in force: the bad file changed nothing");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.managementUrl() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("gateway_admin_credentials_reloads_total{outcome=\"refused\"}"), metrics);
        Files.delete(file);
        reloader.look();
        assertEquals(200, settings("acme", OTTO), "a missing file changes nothing either");

        // token rotation: same credential, new token
        String gwen2 = AdminCredentials.newToken();
        write("gwen:TENANT_ADMIN:globex:" + AdminCredentials.sha256Hex(gwen2) + "\n");
        eventually("the rotation in force", () -> settings("globex", gwen2) == 200);
        assertNull(reloader.problem());
        assertEquals(401, settings("globex", GWEN));
        assertEquals(401, settings("acme", OTTO));
        eventually("rotation and revocation audited", () -> credentialRecords().stream()
                .anyMatch(r -> "token-rotated".equals(r.detail().get("change"))));
    }

    @Test
    void aBadFileAtStartupStopsTheStartNamingTheLine(KafkaBroker broker, KafkaBroker.Namespace ns) throws Exception {
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "fred:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(FRED) + "\nfred:AUDITOR:acme:"
                + AdminCredentials.sha256Hex(GWEN) + "\n");
        try {
            Exception e = assertThrows(Exception.class, () -> new AdminServer(broker, ns,
                    Map.of("gateway.admin.credential-file", bad.toString())).close());
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("'fred' is given twice"), messages.toString());
        } finally {
            Files.delete(bad);
        }
    }

    static String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
