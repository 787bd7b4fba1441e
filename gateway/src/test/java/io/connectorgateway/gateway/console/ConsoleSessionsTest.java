package io.connectorgateway.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.gateway.admin.AdminConfig;
import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session cookies: genuine, unexpired, not signed out, and only while their credential is unchanged. */
class ConsoleSessionsTest {
    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');
    static final String TOKEN = AdminCredentials.newToken();

    static AdminCredentials credentials(String... entries) {
        return new AdminCredentials(new AdminConfig("http://localhost", List.of(entries), Duration.ofSeconds(1), 10, null, null,
                Duration.ofSeconds(2), "_platform"));
    }

    static String alice(String role, String tenant, String token) {
        return "alice:" + role + ":" + tenant + ":" + AdminCredentials.sha256Hex(token);
    }

    static ConsoleSessions sessions(AdminCredentials c, Clock clock) {
        return new ConsoleSessions(c, new ConsoleConfig(KEY, Duration.ofHours(1)), clock);
    }

    @Test
    void aGenuineCookieIsAcceptedByEveryInstanceWithTheSameKey() {
        AdminCredentials c = credentials(alice("TENANT_ADMIN", "acme", TOKEN));
        AdminPrincipal alice = c.authenticate(TOKEN).orElseThrow();
        String cookie = sessions(c, Clock.systemUTC()).issue(alice);
        var other = sessions(c, Clock.systemUTC()).verify(cookie).orElseThrow();
        assertEquals(alice, other.principal());
        assertFalse(cookie.contains(TOKEN) || cookie.contains(AdminCredentials.sha256Hex(TOKEN)));
        assertNotEquals(sessions(c, Clock.systemUTC()).issue(alice), cookie, "every sign-in is a new session");
    }

    @Test
    void tamperedExpiredOrSignedOutCookiesAreRefused() {
        AdminCredentials c = credentials(alice("TENANT_ADMIN", "acme", TOKEN), "olga:OPERATOR:*:"
                + AdminCredentials.sha256Hex(AdminCredentials.newToken()));
        ConsoleSessions s = sessions(c, Clock.systemUTC());
        String cookie = s.issue(c.authenticate(TOKEN).orElseThrow());
        String[] p = cookie.split("\\.");
        String asOlga = p[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("olga".getBytes()) + "." + p[2] + "."
                + p[3] + "." + p[4];
        assertTrue(s.verify(asOlga).isEmpty(), "another credential id under the same MAC");
        assertTrue(s.verify(p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 3600) + "." + p[3] + "." + p[4]).isEmpty(),
                "a longer life");
        assertTrue(s.verify(cookie + "x").isEmpty());
        assertTrue(s.verify("garbage").isEmpty());
        assertTrue(new ConsoleSessions(c, new ConsoleConfig(null, Duration.ofHours(1))).verify(cookie).isEmpty(),
                "another key");

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
        assertTrue(sessions(c, later).verify(cookie).isEmpty(), "expired");

        var session = s.verify(cookie).orElseThrow();
        s.signOut(session);
        assertTrue(s.verify(cookie).isEmpty(), "signed out");
    }

    @Test
    void aRevokedRotatedOrRescopedCredentialSignsItsSessionsOut() {
        AdminCredentials before = credentials(alice("TENANT_ADMIN", "acme", TOKEN));
        String cookie = sessions(before, Clock.systemUTC()).issue(before.authenticate(TOKEN).orElseThrow());
        assertTrue(sessions(before, Clock.systemUTC()).verify(cookie).isPresent());
        assertTrue(sessions(credentials("bob:TENANT_ADMIN:acme:" + AdminCredentials.sha256Hex(TOKEN)), Clock.systemUTC())
                .verify(cookie).isEmpty(), "revoked");
        assertTrue(sessions(credentials(alice("TENANT_ADMIN", "acme", AdminCredentials.newToken())), Clock.systemUTC())
                .verify(cookie).isEmpty(), "token rotated");
        assertTrue(sessions(credentials(alice("TENANT_ADMIN", "globex", TOKEN)), Clock.systemUTC()).verify(cookie).isEmpty(),
                "moved to another tenant");
        assertTrue(sessions(credentials(alice("AUDITOR", "acme", TOKEN)), Clock.systemUTC()).verify(cookie).isEmpty(),
                "another role");
    }

    @Test
    void csrfTokensBelongToOneSessionAndAShortKeyIsRefused() {
        AdminCredentials c = credentials(alice("TENANT_ADMIN", "acme", TOKEN));
        ConsoleSessions s = sessions(c, Clock.systemUTC());
        var a = s.verify(s.issue(c.authenticate(TOKEN).orElseThrow())).orElseThrow();
        var b = s.verify(s.issue(c.authenticate(TOKEN).orElseThrow())).orElseThrow();
        assertNotEquals(a.csrf(), b.csrf());
        assertTrue(ConsoleSessions.csrfMatches(a.csrf(), a.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(a.csrf(), b.csrf()));
        assertFalse(ConsoleSessions.csrfMatches(a.csrf(), null));
        assertNotEquals(a.csrf(), s.signInCsrf(a.id()), "a sign-in token is not a session token");
        var e = assertThrows(IllegalArgumentException.class, () -> new ConsoleSessions(c,
                new ConsoleConfig(Base64.getEncoder().encodeToString(new byte[16]), Duration.ofHours(1))));
        assertTrue(e.getMessage().contains("at least 32 bytes"));
    }
}
