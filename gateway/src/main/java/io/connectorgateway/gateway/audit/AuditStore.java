package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.json.JsonSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The audit trail and the conversation history, materialised into RocksDB with composite string
 * keys so that every query is a range scan, newest first:
 *
 * <pre>
 *   a|tenant|inv|auditId            -> audit record (JSON as on the topic)      primary, by time
 *   r|tenant|room|inv|auditId       -> ""                                      by room
 *   m|tenant|member|inv|auditId     -> ""                                      by member (also each member of a bulk change)
 *   x|tenant|externalUser|inv|auditId -> ""                                    by external user
 *   k|tenant|KIND|inv|auditId       -> ""                                      by kind
 *   d|tenant|auditId                -> ""                                      seen (duplicates are ignored)
 *   h|eventId                       -> history entry (JSON)                    joined into results
 *   o|topic|partition               -> next offset                             checkpoint
 * </pre>
 *
 * {@code inv} is {@code Long.MAX_VALUE - timestamp}, zero-padded to 19 digits, so ascending key
 * order is newest first. Every index key ends with the same {@code inv|auditId} tail, which is
 * therefore also the page cursor whatever index a query uses. A batch of records and the offsets
 * it came from are written in one {@link WriteBatch}, so the checkpoint never disagrees with the
 * data and the WAL can be off (a crash loses the memtable and the checkpoint together; the
 * records are read again).
 */
public final class AuditStore implements AutoCloseable {
    private static final Pattern TAIL = Pattern.compile("\\d{19}\\|.+");
    private static final byte[] EMPTY = new byte[0];

    static {
        RocksDB.loadLibrary();
    }

    private final JsonSerde<AuditRecord> auditSerde = JsonSerde.lenient(AuditRecord.class);
    private final JsonSerde<HistoryEntry> historySerde = JsonSerde.lenient(HistoryEntry.class);
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;

    /** A page of results; {@code cursor} is null on the last page. */
    public record Page(List<Hit> hits, String cursor, boolean budgetExhausted) {
    }

    /** One audit record, with the history entry of its event when there is one. */
    public record Hit(AuditRecord record, HistoryEntry history) {
    }

    public AuditStore(Path dir) throws RocksDBException {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the audit store directory " + dir, e);
        }
        BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false));
        options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(table).setWriteBufferSize(64L * 1024 * 1024);
        db = RocksDB.open(options, dir.toString());
        writeOptions = new WriteOptions().setDisableWAL(true);
    }

    /** Adds a batch from the topics, and the offsets to resume from, atomically. */
    public void apply(List<AuditRecord> audits, List<HistoryEntry> history, Map<String, Long> nextOffsets)
            throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            Set<String> seen = new HashSet<>();
            for (AuditRecord r : audits) {
                byte[] seenKey = key("d", r.tenant(), r.auditId());
                if (!seen.add(r.tenant() + '|' + r.auditId()) || db.get(seenKey) != null) {
                    continue;
                }
                String tail = inverted(r.timestamp()) + '|' + r.auditId();
                batch.put(seenKey, EMPTY);
                batch.put(key("a", r.tenant(), tail), auditSerde.serialize(null, r));
                if (r.roomId() != null) {
                    batch.put(key("r", r.tenant(), r.roomId(), tail), EMPTY);
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
                    batch.put(key("m", r.tenant(), m, tail), EMPTY);
                }
                if (r.externalUserId() != null) {
                    batch.put(key("x", r.tenant(), r.externalUserId(), tail), EMPTY);
                }
                batch.put(key("k", r.tenant(), r.kind().name(), tail), EMPTY);
            }
            for (HistoryEntry h : history) {
                batch.put(key("h", h.eventId()), historySerde.serialize(null, h));
            }
            for (var e : nextOffsets.entrySet()) {
                batch.put(key("o", e.getKey()), ByteBuffer.allocate(8).putLong(e.getValue()).array());
            }
            db.write(writeOptions, batch);
        }
    }

    /** Where to resume {@code topic-partition} from, or null to start at the beginning. */
    public Long checkpoint(String topicPartition) {
        try {
            byte[] v = db.get(key("o", topicPartition));
            return v == null ? null : ByteBuffer.wrap(v).getLong();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the audit store checkpoint", e);
        }
    }

    /**
     * Newest first, at most {@code limit} records matching {@code q}, after {@code cursor}. Uses the
     * most selective index the query allows (room, external user, member, kind, else time) and
     * checks the remaining filters on each record.
     */
    public Page search(AuditQuery q, int limit, String cursor, int scanBudget) {
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
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);

        List<Hit> hits = new ArrayList<>();
        String lastTail = null;
        int scanned = 0;
        try (ReadOptions ro = new ReadOptions().setPrefixSameAsStart(false); RocksIterator it = db.newIterator(ro)) {
            for (it.seek(start.getBytes(StandardCharsets.UTF_8)); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!startsWith(k, prefixBytes)) {
                    break;
                }
                String tail = new String(k, prefixBytes.length, k.length - prefixBytes.length, StandardCharsets.UTF_8);
                if (tail.equals(after)) {
                    continue;
                }
                if (stopAfter != null && tail.substring(0, 19).compareTo(stopAfter) > 0) {
                    break;
                }
                if (++scanned > scanBudget) {
                    return new Page(hits, lastTail == null ? null : encodeCursor(lastTail), true);
                }
                byte[] value = primary ? it.value() : db.get(key("a", q.tenant(), tail));
                if (value == null) {
                    continue;
                }
                AuditRecord r = auditSerde.deserialize(null, value);
                if (!q.matches(r)) {
                    lastTail = tail;
                    continue;
                }
                if (hits.size() == limit) {
                    // One more match exists: the page is full and there is a next one.
                    return new Page(hits, encodeCursor(hits.isEmpty() ? tail : tailOf(hits.get(hits.size() - 1))), false);
                }
                hits.add(new Hit(r, history(r)));
                lastTail = tail;
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("audit store read failed", e);
        }
        return new Page(hits, null, false);
    }

    private HistoryEntry history(AuditRecord r) throws RocksDBException {
        if (r.eventId() == null || !io.connectorgateway.contracts.Ids.isValid(r.eventId())) {
            return null;
        }
        byte[] v = db.get(key("h", r.eventId()));
        if (v == null) {
            return null;
        }
        HistoryEntry h = historySerde.deserialize(null, v);
        return h.tenant().equals(r.tenant()) ? h : null;
    }

    private static String tailOf(Hit h) {
        return inverted(h.record().timestamp()) + '|' + h.record().auditId();
    }

    static String inverted(long timestamp) {
        return String.format("%019d", Long.MAX_VALUE - Math.max(0, timestamp));
    }

    static String encodeCursor(String tail) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tail.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor was not made by this store */
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

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] key(String... parts) {
        return String.join("|", parts).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            // The checkpoint only moves with the data: an unflushed tail is simply read again.
        }
        db.close();
        writeOptions.close();
        options.close();
    }
}
