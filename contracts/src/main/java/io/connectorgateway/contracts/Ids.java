package io.connectorgateway.contracts;

/**
 * Identifier rules and the composite keys used on the topics.
 *
 * <p>Identifiers may not contain {@code ':'} because it separates the parts of composite keys
 * such as {@code tenant:connector:member}; checking that here keeps keys unambiguous.
 */
public final class Ids {
    private static final int MAX_LENGTH = 128;

    private Ids() {
    }

    /** Returns {@code value} when it is a valid identifier, otherwise throws naming the field. */
    public static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (!isValid(value)) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of letters, digits, '.', '_', '@' or '-', got '"
                    + abbreviate(value) + "'");
        }
        return value;
    }

    /** Like {@link #require} but lets {@code null} through. */
    public static String optional(String field, String value) {
        return value == null ? null : require(field, value);
    }

    /**
     * 1-128 characters of {@code [A-Za-z0-9._@-]}. A plain loop rather than a regex: every
     * record constructor checks its ids, several per event in the policy stream, and the JFR
     * profile of the benchmark showed the regex matcher among its hottest frames.
     */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '@' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Key of {@code connector.settings}: {@code tenant:connector}. */
    public static String settingsKey(String tenant, Connector connector) {
        return require("tenant", tenant) + ':' + connector.name();
    }

    /** Key of {@code connector.members}: {@code tenant:connector:member}. */
    public static String memberKey(String tenant, Connector connector, String memberId) {
        return require("tenant", tenant) + ':' + connector.name() + ':' + require("memberId", memberId);
    }

    /** Key of {@code connector.directory.events}: {@code tenant:member}. */
    public static String directoryKey(String tenant, String memberId) {
        return require("tenant", tenant) + ':' + require("memberId", memberId);
    }

    /**
     * Key of {@code connector.history} (and of every record about one message, such as its content
     * key): {@code tenant:connector:eventId}. Event ids are chosen by each tenant's sources, so an id
     * alone could name another tenant's message; with the tenant in the key it never does.
     */
    public static String messageKey(String tenant, Connector connector, String eventId) {
        return require("tenant", tenant) + ':' + connector.name() + ':' + require("eventId", eventId);
    }

    /**
     * The conversation a room belongs to: one member and one external user on one connector.
     * Rooms come and go (dropped, reopened by a new friend-add) but the pair stays the same.
     */
    public static String pairKey(String tenant, Connector connector, String memberId, String externalUserId) {
        return memberKey(tenant, connector, memberId) + ':' + require("externalUserId", externalUserId);
    }

    /**
     * The id of a room opened for {@code pairKey} by {@code openingEventId} (a friend-add or
     * contact-add). Deterministic, so a replay opens the same room id; a new friend-add after a
     * drop has another event id and so opens a new room (SPEC R4: a dropped room is never revived).
     */
    public static String roomId(String pairKey, String openingEventId) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((pairKey + '|' + openingEventId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "rm-" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
