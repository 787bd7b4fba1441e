package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.AdminTokens;
import io.connectorgateway.contracts.Ids;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials in force: the configured entries ({@code gateway.admin.credentials}) plus those of
 * the credentials file ({@code gateway.admin.credential-file}), which {@link CredentialsReloader}
 * re-reads while the gateway runs. Only SHA-256 hashes of the bearer tokens are configured: tokens
 * are 256-bit random values ({@link #newToken()}), so a fast hash is enough (no dictionary to guess
 * from) and a leaked configuration does not leak a usable token.
 */
@Singleton
public final class AdminCredentials {
    /** The most a credentials file may hold; a larger one is refused as a mistake. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** One configured credential: who, and the SHA-256 of the token. */
    record Entry(AdminPrincipal principal, byte[] hash) {
        String id() {
            return principal.id();
        }

        boolean sameAs(Entry other) {
            return principal.equals(other.principal) && MessageDigest.isEqual(hash, other.hash);
        }
    }

    private final List<Entry> configured;
    /** The credentials file's content read at startup (null when there is no file). */
    private final byte[] initialFile;
    private volatile List<Entry> entries;

    /**
     * @throws IllegalArgumentException naming the entry, or the file and its line, when the
     *                                  configuration cannot be used: the gateway does not start
     */
    @Inject
    public AdminCredentials(AdminConfig config) {
        this.configured = parseAll(config.credentials(), "gateway.admin.credentials");
        Path file = config.credentialFile();
        this.initialFile = file == null ? null : readFile(file);
        List<Entry> fromFile = file == null ? List.of() : parseFile(file.toString(), initialFile);
        this.entries = merge(configured, fromFile);
    }

    AdminCredentials(List<String> specs) {
        this.configured = parseAll(specs, "gateway.admin.credentials");
        this.initialFile = null;
        this.entries = configured;
    }

    byte[] initialFile() {
        return initialFile;
    }

    /** The entries in force now. */
    List<Entry> entries() {
        return entries;
    }

    /**
     * Puts the entries of a newly read credentials file in force, beside the configured ones.
     *
     * @throws IllegalArgumentException when together they are not a valid set (nothing changes then)
     */
    void replaceFileEntries(List<Entry> fromFile) {
        this.entries = merge(configured, fromFile);
    }

    /**
     * Reads a credentials file (at most {@link #MAX_FILE_BYTES}).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is too large
     */
    static byte[] readFile(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("credentials file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("credentials file " + file + " cannot be read: " + e);
        }
    }

    /**
     * Checks a credentials file's content: one {@code id:ROLE:tenant:sha256hex} per line, blank lines
     * and lines starting with {@code #} ignored.
     *
     * @throws IllegalArgumentException naming the file and the line when it cannot be used
     */
    static List<Entry> parseFile(String name, byte[] bytes) {
        String text = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        if (text.indexOf('\uFFFD') >= 0) {
            throw new IllegalArgumentException("credentials file " + name + " is not UTF-8 text");
        }
        List<String> specs = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                specs.add(line);
                lines.add(i + 1);
            }
        }
        List<Entry> parsed = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            try {
                parsed.add(parse(specs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("credentials file " + name + ", line " + lines.get(i) + ": " + e.getMessage());
            }
        }
        return parsed;
    }

    private static List<Entry> parseAll(List<String> specs, String where) {
        List<Entry> parsed = new ArrayList<>();
        for (String spec : specs) {
            try {
                parsed.add(parse(spec.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return merge(parsed, List.of());
    }

    /** Both lists together; an id or a token hash given twice is refused (which one would count?). */
    private static List<Entry> merge(List<Entry> a, List<Entry> b) {
        List<Entry> all = new ArrayList<>(a);
        all.addAll(b);
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (Entry e : all) {
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("credential id '" + e.id() + "' is given twice");
            }
            if (!hashes.add(HexFormat.of().formatHex(e.hash()))) {
                throw new IllegalArgumentException("credential '" + e.id() + "' has the same token hash as another one");
            }
        }
        return List.copyOf(all);
    }

    private static Entry parse(String spec) {
        String[] p = spec.split(":", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("an entry must be id:ROLE:tenant:sha256hex, got " + p.length + " parts");
        }
        Ids.require("credential id", p[0]);
        Actor.Role role;
        try {
            role = Actor.Role.valueOf(p[1]);
        } catch (IllegalArgumentException e) {
            role = null;
        }
        if (role != Actor.Role.TENANT_ADMIN && role != Actor.Role.AUDITOR && role != Actor.Role.OPERATOR) {
            throw new IllegalArgumentException("credential " + p[0] + ": role must be TENANT_ADMIN, AUDITOR or OPERATOR");
        }
        String tenant = role == Actor.Role.OPERATOR ? "*" : Ids.require("credential tenant", p[2]);
        byte[] hash;
        try {
            hash = HexFormat.of().parseHex(p[3].toLowerCase());
        } catch (IllegalArgumentException e) {
            hash = new byte[0];
        }
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

    /**
     * The credential in force under {@code id} and a fingerprint of its entry (role, tenant and
     * token hash), for a console session to carry: a session is valid only while its credential's
     * fingerprint is unchanged, so revoking, rotating or re-scoping a credential signs its
     * sessions out.
     */
    public Optional<Bound> bound(String id) {
        for (Entry e : entries) {
            if (e.id().equals(id)) {
                byte[] entry = (e.id() + "\n" + e.principal().role() + "\n" + e.principal().tenant() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] all = new byte[entry.length + e.hash().length];
                System.arraycopy(entry, 0, all, 0, entry.length);
                System.arraycopy(e.hash(), 0, all, entry.length, e.hash().length);
                return Optional.of(new Bound(e.principal(), sha256(all)));
            }
        }
        return Optional.empty();
    }

    /** A credential in force and the fingerprint of its entry ({@link #bound}); never the token or its hash. */
    public record Bound(AdminPrincipal principal, byte[] fingerprint) {
    }

    public static byte[] sha256(String token) {
        return AdminTokens.sha256(token);
    }

    static byte[] sha256(byte[] bytes) {
        return AdminTokens.sha256(bytes);
    }

    public static String sha256Hex(String token) {
        return AdminTokens.sha256Hex(token);
    }

    public static String newToken() {
        return AdminTokens.newToken();
    }
}
