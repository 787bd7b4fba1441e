package io.connectorgateway.gateway.console;

import io.connectorgateway.gateway.admin.AdminCredentials;
import io.connectorgateway.gateway.admin.AdminPrincipal;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console sessions as signed cookies: {@code v1.<credential id>.<expiry>.<session id>.<mac>}, the
 * MAC (HMAC-SHA256 under {@link ConsoleConfig#sessionKey}) over those and the fingerprint of the
 * credential's entry as it is in force ({@link AdminCredentials#bound}). Any instance with the same
 * key accepts the cookie, and a credential revoked, rotated or given another role or tenant signs
 * its sessions out at the next request. Nothing secret is in the cookie: not the token, not its
 * hash. The CSRF token of a session is the MAC of its session id (synchronizer token that needs no
 * server state). Signing out remembers the session id on this instance until it expires.
 */
@Singleton
public final class ConsoleSessions {
    public static final String COOKIE = "cgw_session";
    /** Before sign-in: the random value the sign-in form's CSRF token is bound to. */
    public static final String PRE_COOKIE = "cgw_pre";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSessions.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A valid session: who, its id, when it ends. */
    public record Session(AdminPrincipal principal, String id, long expiresAtSeconds, String csrf) {
    }

    private final AdminCredentials credentials;
    private final ConsoleConfig config;
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> signedOut = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConsoleSessions(AdminCredentials credentials, ConsoleConfig config) {
        this(credentials, config, Clock.systemUTC());
    }

    ConsoleSessions(AdminCredentials credentials, ConsoleConfig config, Clock clock) {
        this.credentials = credentials;
        this.config = config;
        this.clock = clock;
        if (config.sessionKey() == null || config.sessionKey().isBlank()) {
            key = new byte[32];
            random.nextBytes(key);
            LOG.info("gateway.console.session-key is not set: console sessions are signed with a random key of this "
                    + "instance (valid here only, until it restarts)");
        } else {
            byte[] k;
            try {
                k = Base64.getDecoder().decode(config.sessionKey().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gateway.console.session-key must be base64 (of at least 32 random bytes)");
            }
            if (k.length < 32) {
                throw new IllegalArgumentException("gateway.console.session-key must hold at least 32 bytes, got " + k.length);
            }
            key = k;
        }
    }

    /** A new session cookie value for {@code principal}, who just presented a valid token. */
    public String issue(AdminPrincipal principal) {
        AdminCredentials.Bound bound = credentials.bound(principal.id())
                .orElseThrow(() -> new IllegalStateException("credential " + principal.id() + " is not in force"));
        byte[] sid = new byte[18];
        random.nextBytes(sid);
        String id = B64.encodeToString(sid);
        long expires = clock.instant().getEpochSecond() + config.sessionTtl().toSeconds();
        String body = "v1." + B64.encodeToString(principal.id().getBytes(StandardCharsets.UTF_8)) + "." + expires + "." + id;
        return body + "." + B64.encodeToString(mac(body, bound.fingerprint()));
    }

    /** The session a cookie value stands for, when it is genuine, not expired, not signed out, and its credential unchanged. */
    public Optional<Session> verify(String cookie) {
        if (cookie == null || cookie.length() > 512) {
            return Optional.empty();
        }
        String[] p = cookie.split("\\.", -1);
        if (p.length != 5 || !p[0].equals("v1")) {
            return Optional.empty();
        }
        try {
            String credentialId = new String(B64D.decode(p[1]), StandardCharsets.UTF_8);
            long expires = Long.parseLong(p[2]);
            byte[] presented = B64D.decode(p[4]);
            Optional<AdminCredentials.Bound> bound = credentials.bound(credentialId);
            if (bound.isEmpty()) {
                return Optional.empty();
            }
            byte[] expected = mac(p[0] + "." + p[1] + "." + p[2] + "." + p[3], bound.get().fingerprint());
            if (!MessageDigest.isEqual(expected, presented)) {
                return Optional.empty();
            }
            if (expires <= clock.instant().getEpochSecond() || signedOut.containsKey(p[3])) {
                return Optional.empty();
            }
            return Optional.of(new Session(bound.get().principal(), p[3], expires, csrfFor("session", p[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Ends a session here: its cookie is refused on this instance until it would have expired. */
    public void signOut(Session session) {
        long now = clock.instant().getEpochSecond();
        signedOut.entrySet().removeIf(e -> e.getValue() <= now);
        signedOut.put(session.id(), session.expiresAtSeconds());
    }

    /** A fresh random value for {@link #PRE_COOKIE}. */
    public String newPreSession() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** The CSRF token of the sign-in form, bound to the {@link #PRE_COOKIE} value. */
    public String signInCsrf(String pre) {
        return csrfFor("sign-in", pre);
    }

    /** Constant-time comparison of a presented CSRF token with the expected one. */
    public static boolean csrfMatches(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private String csrfFor(String purpose, String value) {
        return B64.encodeToString(mac("csrf." + purpose + "." + value, new byte[0]));
    }

    private byte[] mac(String body, byte[] fingerprint) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(body.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            m.update(fingerprint);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
