package io.connectorgateway.greeting.send;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Display names of members for the {@code {memberName}} placeholder.
 *
 * <p>The platform owns member profiles and no topic carries display names, so the bot reads them
 * from a properties file ({@code GREETING_MEMBER_NAMES_FILE}, lines {@code tenant.member=Name},
 * UTF-8) when one is configured. A member without an entry is named by their member id: a
 * greeting is never held back for want of a name.
 */
@FunctionalInterface
public interface MemberDirectory {
    Optional<String> displayName(String tenant, String memberId);

    /** The name used in the greeting: the directory's, else the member id. */
    default String nameOrId(String tenant, String memberId) {
        return displayName(tenant, memberId).filter(n -> !n.isBlank()).orElse(memberId);
    }

    static MemberDirectory empty() {
        return (tenant, memberId) -> Optional.empty();
    }

    /** Names keyed by {@code tenant.member}. */
    static MemberDirectory of(Map<String, String> names) {
        Map<String, String> copy = Map.copyOf(names);
        return (tenant, memberId) -> Optional.ofNullable(copy.get(tenant + "." + memberId));
    }

    static MemberDirectory fromFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read GREETING_MEMBER_NAMES_FILE " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> names = new HashMap<>();
        p.stringPropertyNames().forEach(k -> names.put(k, p.getProperty(k)));
        return of(names);
    }

    static MemberDirectory fromEnvironment(Map<String, String> env) {
        String file = env.get("GREETING_MEMBER_NAMES_FILE");
        return file == null || file.isBlank() ? empty() : fromFile(Path.of(file.trim()));
    }
}
