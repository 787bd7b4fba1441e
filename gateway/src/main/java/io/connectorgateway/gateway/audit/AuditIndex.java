package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.json.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The audit trail and the conversation history as composite string keys in an ordered key-value
 * store (RocksDB: byte order = string order for these ASCII keys), so that every query is a range
 * scan, newest first:
 *
 * <pre>
 *   a|tenant|inv|auditId              -> audit record (JSON as on the topic)    primary, by time
 *   r|tenant|room|inv|auditId         -> ""                                    by room
 *   m|tenant|member|inv|auditId       -> ""                                    by member (also each member of a bulk change)
 *   x|tenant|externalUser|inv|auditId -> ""                                    by external user
 *   k|tenant|KIND|inv|auditId         -> ""                                    by kind
 *   d|tenant|auditId                  -> ""                                    seen (duplicates are ignored)
 *   t|tenant|offset                   -> inv|auditId                           by audit topic offset (tail)
 *   h|tenant|connector|eventId        -> history entry (JSON)                  joined into results
 * </pre>
 *
 * History is keyed by tenant (and connector) like everything else: event ids are chosen by each
 * tenant's sources, so an entry of another tenant with the same id is another message and never
 * replaces this tenant's. Stores of earlier releases hold {@code h|eventId}; those entries are still
 * joined when they are the record's tenant's, and an unsent entry deletes its tenant's old one.
 *
 * {@code inv} is {@code Long.MAX_VALUE - timestamp}, zero-padded to 19 digits, so ascending key
 * order is newest first. Every index key ends with the same {@code inv|auditId} tail, which is
 * therefore also the page cursor whatever index a query uses. Writing is idempotent: applying a
 * record again (a redelivery, or a replay after a crash) changes nothing.
 */
public final class AuditIndex {
    private static final Pattern TAIL = Pattern.compile("\\d{19}\\|.+");
    private static final byte[] EMPTY = new byte[0];
    private static final JsonSerde<AuditRecord> AUDIT = JsonSerde.lenient(AuditRecord.class);
    private static final JsonSerde<HistoryEntry> HISTORY = JsonSerde.lenient(HistoryEntry.class);

    private AuditIndex() {
    }

    /** The few operations the index needs from an ordered store. */
    public interface Kv {
        byte[] get(String key);

        void put(String key, byte[] value);

        /** Removes {@code key} (absent or not). */
        void delete(String key);

        /** Entries with a key at or after {@code from}, ascending; the caller stops and closes. */
        Scan scan(String from);
    }

    /** An open range iterator. */
    public interface Scan extends Iterator<Map.Entry<String, byte[]>>, AutoCloseable {
        @Override
        void close();
    }

    /** A page of results; {@code cursor} is null on the last page. */
    public record Page(List<Hit> hits, String cursor, boolean budgetExhausted) {
    }

    /** One audit record, with the history entry of its event when there is one. */
    public record Hit(AuditRecord record, HistoryEntry history) {
    }

    /** Tail results: matching records in topic order, and the offset to continue from. */
    public record TailPage(List<AuditRecord> records, long next) {
    }

    /** A Kafka Streams key-value store as an index (read-only when it is an interactive-query view). */
    public static Kv of(ReadOnlyKeyValueStore<String, byte[]> store) {
        return new Kv() {
            @Override
            public byte[] get(String key) {
                return store.get(key);
            }

            @Override
            public void put(String key, byte[] value) {
                if (!(store instanceof KeyValueStore<String, byte[]> writable)) {
                    throw new UnsupportedOperationException("a query view of the audit store is read-only");
                }
                writable.put(key, value);
            }

            @Override
            public void delete(String key) {
                if (!(store instanceof KeyValueStore<String, byte[]> writable)) {
                    throw new UnsupportedOperationException("a query view of the audit store is read-only");
                }
                writable.delete(key);
            }

            @Override
            public Scan scan(String from) {
                KeyValueIterator<String, byte[]> it = store.range(from, null);
                return new Scan() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<String, byte[]> next() {
                        var kv = it.next();
                        return Map.entry(kv.key, kv.value);
                    }

                    @Override
                    public void close() {
                        it.close();
                    }
                };
            }
        };
    }

    /**
     * Adds an audit record (unless this tenant's record with that id is already there).
     *
     * @param offset the record's offset on its {@code connector.audit} partition (tail index), or
     *               negative when unknown
     * @return whether it was new
     */
    public static boolean add(Kv kv, AuditRecord r, long offset) {
        String seenKey = key("d", r.tenant(), r.auditId());
        if (kv.get(seenKey) != null) {
            return false;
        }
        String tail = inverted(r.timestamp()) + '|' + r.auditId();
        kv.put(key("a", r.tenant(), tail), AUDIT.serialize(null, r));
        if (r.roomId() != null) {
            kv.put(key("r", r.tenant(), r.roomId(), tail), EMPTY);
        }
        Set<String> members = new LinkedHashSet<>();
        if (r.memberId() != null) {
            members.add(r.memberId());
        }
        String listed = r.detail().get("members");
        if (listed != null && !listed.isEmpty()) {
            members.addAll(List.of(listed.split(",")));
        }
        for (String m : members) {
            kv.put(key("m", r.tenant(), m, tail), EMPTY);
        }
        if (r.externalUserId() != null) {
            kv.put(key("x", r.tenant(), r.externalUserId(), tail), EMPTY);
        }
        kv.put(key("k", r.tenant(), r.kind().name(), tail), EMPTY);
        if (offset >= 0) {
            kv.put(key("t", r.tenant(), padded(offset)), tail.getBytes(StandardCharsets.UTF_8));
        }
        // Last: a crash before it leaves a record that is simply written again.
        kv.put(seenKey, EMPTY);
        return true;
    }

    /**
     * Stores (or replaces: an unsent message's entry loses its content) a history entry under its
     * tenant's key. An unsent entry also deletes the entry an earlier release stored under the event
     * id alone, when that one is the same tenant's message (so its content leaves this store too).
     */
    public static void add(Kv kv, HistoryEntry h) {
        kv.put(historyKey(h.tenant(), String.valueOf(h.connector()), h.eventId()), HISTORY.serialize(null, h));
        if (h.unsent()) {
            String legacy = key("h", h.eventId());
            byte[] old = kv.get(legacy);
            if (old != null) {
                HistoryEntry previous = HISTORY.deserialize(null, old);
                if (previous.tenant().equals(h.tenant()) && previous.connector() == h.connector()) {
                    kv.delete(legacy);
                }
            }
        }
    }

    static String historyKey(String tenant, String connector, String eventId) {
        return key("h", tenant, connector, eventId);
    }

    /**
     * Newest first, at most {@code limit} records matching {@code q}, after {@code cursor}. Uses the
     * most selective index the query allows (room, external user, member, kind, else time) and
     * checks the remaining filters on each record.
     *
     * @throws IllegalArgumentException when the cursor was not made by this index
     */
    public static Page search(Kv kv, AuditQuery q, int limit, String cursor, int scanBudget) {
        return search(kv, id -> null, q, limit, cursor, scanBudget);
    }

    /**
     * As {@link #search(Kv, AuditQuery, int, String, int)}, opening sealed history content with the
     * message's key from {@code keys} ({@code tenant:connector:eventId} to the key, null once the
     * sender unsent it: the content then stays unreadable and is left out).
     */
    public static Page search(Kv kv, java.util.function.Function<String, ContentKey> keys, AuditQuery q, int limit,
                              String cursor, int scanBudget) {
        String prefix;
        if (q.room() != null) {
            prefix = "r|" + q.tenant() + '|' + q.room() + '|';
        } else if (q.externalUser() != null) {
            prefix = "x|" + q.tenant() + '|' + q.externalUser() + '|';
        } else if (q.member() != null) {
            prefix = "m|" + q.tenant() + '|' + q.member() + '|';
        } else if (q.kind() != null) {
            prefix = "k|" + q.tenant() + '|' + q.kind().name() + '|';
        } else {
            prefix = "a|" + q.tenant() + '|';
        }
        boolean primary = prefix.startsWith("a|");
        String after = cursor == null ? null : decodeCursor(cursor);
        String start = after != null ? prefix + after : q.to() != null ? prefix + inverted(q.to()) : prefix;
        String stopAfter = q.from() != null ? inverted(q.from()) : null;

        List<Hit> hits = new ArrayList<>();
        String lastTail = null;
        int scanned = 0;
        try (Scan it = kv.scan(start)) {
            while (it.hasNext()) {
                Map.Entry<String, byte[]> e = it.next();
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                String tail = e.getKey().substring(prefix.length());
                if (tail.equals(after)) {
                    continue;
                }
                if (stopAfter != null && tail.substring(0, 19).compareTo(stopAfter) > 0) {
                    break;
                }
                if (++scanned > scanBudget) {
                    return new Page(hits, lastTail == null ? null : encodeCursor(lastTail), true);
                }
                byte[] value = primary ? e.getValue() : kv.get(key("a", q.tenant(), tail));
                if (value == null) {
                    continue;
                }
                AuditRecord r = AUDIT.deserialize(null, value);
                if (!q.matches(r)) {
                    lastTail = tail;
                    continue;
                }
                if (hits.size() == limit) {
                    // One more match exists: the page is full and there is a next one.
                    return new Page(hits, encodeCursor(hits.isEmpty() ? tail : tailOf(hits.get(hits.size() - 1))), false);
                }
                hits.add(new Hit(r, opened(history(kv, r), keys)));
                lastTail = tail;
            }
        }
        return new Page(hits, null, false);
    }

    /**
     * The tenant's records matching {@code q} at audit-topic offsets {@code from} (inclusive) to
     * {@code end} (exclusive), in topic order, at most {@code limit}. {@code next} is where to go on:
     * the first matching record not returned, else {@code end}.
     */
    public static TailPage tail(Kv kv, AuditQuery q, long from, long end, int limit) {
        String prefix = "t|" + q.tenant() + '|';
        List<AuditRecord> out = new ArrayList<>();
        try (Scan it = kv.scan(prefix + padded(Math.max(0, from)))) {
            while (it.hasNext()) {
                Map.Entry<String, byte[]> e = it.next();
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                long offset = Long.parseLong(e.getKey().substring(prefix.length()));
                if (offset >= end) {
                    break;
                }
                byte[] value = kv.get(key("a", q.tenant(), new String(e.getValue(), StandardCharsets.UTF_8)));
                if (value == null) {
                    continue;
                }
                AuditRecord r = AUDIT.deserialize(null, value);
                if (!q.matches(r)) {
                    continue;
                }
                if (out.size() == limit) {
                    return new TailPage(out, offset);
                }
                out.add(r);
            }
        }
        return new TailPage(out, Math.max(from, end));
    }

    /**
     * The tenant a stored key belongs to, or null for keys without one: history entries of earlier
     * releases ({@code h|eventId}: read the tenant from the value) and anything that is not an index key.
     */
    public static String tenantOfKey(String key) {
        if (key.length() < 2 || key.charAt(1) != '|' || "armxkdth".indexOf(key.charAt(0)) < 0) {
            return null;
        }
        int end = key.indexOf('|', 2);
        return end < 0 ? null : key.substring(2, end);
    }

    /** The tenant of a history entry as stored. */
    public static String tenantOfHistory(byte[] value) {
        return HISTORY.deserialize(null, value).tenant();
    }

    private static HistoryEntry opened(HistoryEntry h, java.util.function.Function<String, ContentKey> keys) {
        if (h == null || h.sealed() == null) {
            return h;
        }
        ContentKey key = keys.apply(h.sealed().keyId());
        return key == null ? h.withoutContent() : h.opened(key);
    }

    private static HistoryEntry history(Kv kv, AuditRecord r) {
        if (r.eventId() == null || !Ids.isValid(r.eventId())) {
            return null;
        }
        byte[] v = kv.get(historyKey(r.tenant(), String.valueOf(r.connector()), r.eventId()));
        if (v != null) {
            return HISTORY.deserialize(null, v);
        }
        byte[] legacy = kv.get(key("h", r.eventId()));
        if (legacy == null) {
            return null;
        }
        HistoryEntry h = HISTORY.deserialize(null, legacy);
        return h.tenant().equals(r.tenant()) && h.connector() == r.connector() ? h : null;
    }

    private static String tailOf(Hit h) {
        return inverted(h.record().timestamp()) + '|' + h.record().auditId();
    }

    static String inverted(long timestamp) {
        return padded(Long.MAX_VALUE - Math.max(0, timestamp));
    }

    private static String padded(long n) {
        return String.format("%019d", n);
    }

    static String encodeCursor(String tail) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tail.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by this index */
    static String decodeCursor(String cursor) {
        String tail;
        try {
            tail = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cursor is not one this API returned");
        }
        if (!TAIL.matcher(tail).matches()) {
            throw new IllegalArgumentException("the cursor is not one this API returned");
        }
        return tail;
    }

    static String key(String... parts) {
        return String.join("|", parts);
    }
}
