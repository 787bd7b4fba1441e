package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Ids;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured credentials. Only SHA-256 hashes of the bearer tokens are configured: tokens are
 * 256-bit random values ({@link #newToken()}), so a fast hash is enough (no dictionary to guess
 * from) and a leaked configuration does not leak a usable token.
 */
@Singleton
public final class AdminCredentials {
    private record Entry(AdminPrincipal principal, byte[] hash) {
    }

    private final List<Entry> entries;

    public AdminCredentials(AdminConfig config) {
        this(config.credentials());
    }

    AdminCredentials(List<String> specs) {
        List<Entry> parsed = new ArrayList<>();
        for (String spec : specs) {
            parsed.add(parse(spec.trim()));
        }
        this.entries = List.copyOf(parsed);
    }

    private static Entry parse(String spec) {
        String[] p = spec.split(":");
        if (p.length != 4) {
            throw new IllegalArgumentException("gateway.admin.credentials entry must be id:ROLE:tenant:sha256hex, got "
                    + p.length + " parts");
        }
        Ids.require("credential id", p[0]);
        Actor.Role role = Actor.Role.valueOf(p[1]);
        if (role != Actor.Role.TENANT_ADMIN && role != Actor.Role.OPERATOR) {
            throw new IllegalArgumentException("credential " + p[0] + ": role must be TENANT_ADMIN or OPERATOR");
        }
        String tenant = role == Actor.Role.OPERATOR ? "*" : Ids.require("credential tenant", p[2]);
        byte[] hash = HexFormat.of().parseHex(p[3].toLowerCase());
        if (hash.length != 32) {
            throw new IllegalArgumentException("credential " + p[0] + ": the hash must be 64 hex digits (SHA-256)");
        }
        return new Entry(new AdminPrincipal(p[0], role, tenant), hash);
    }

    /** The principal for a presented token; every entry is compared, each in constant time. */
    public Optional<AdminPrincipal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        AdminPrincipal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(presented, e.hash()) && found == null) {
                found = e.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** A fresh 256-bit token, URL-safe base64. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
