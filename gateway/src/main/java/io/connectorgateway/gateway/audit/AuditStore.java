package io.connectorgateway.gateway.audit;

import io.connectorgateway.contracts.audit.AuditRecord;
import io.connectorgateway.contracts.audit.HistoryEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The {@link AuditIndex} in a plain RocksDB of its own, outside Kafka Streams: what benchmark 6
 * loads and times, and what the index's paging rules are unit-tested on. The gateway itself keeps
 * the same index in its view application's {@code gateway-audit} store ({@code view.GatewayView}),
 * one store per partition. A batch and the offsets it came from are written in one
 * {@link WriteBatch}, so {@link #checkpoint} never disagrees with the data.
 */
public final class AuditStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;

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

    /** Adds a batch, and the offsets to resume from, atomically. */
    public void apply(List<AuditRecord> audits, List<HistoryEntry> history, Map<String, Long> nextOffsets)
            throws RocksDBException {
        Map<String, byte[]> pending = new HashMap<>();
        AuditIndex.Kv batchKv = new AuditIndex.Kv() {
            @Override
            public byte[] get(String key) {
                return pending.containsKey(key) ? pending.get(key) : read(key);
            }

            @Override
            public void put(String key, byte[] value) {
                pending.put(key, value);
            }

            @Override
            public void delete(String key) {
                pending.put(key, null); // a delete in the batch
            }

            @Override
            public AuditIndex.Scan scan(String from) {
                throw new UnsupportedOperationException("writes do not scan");
            }
        };
        audits.forEach(r -> AuditIndex.add(batchKv, r, -1));
        history.forEach(h -> AuditIndex.add(batchKv, h));
        nextOffsets.forEach((tp, next) -> pending.put("o|" + tp, ByteBuffer.allocate(8).putLong(next).array()));
        try (WriteBatch batch = new WriteBatch()) {
            for (var e : pending.entrySet()) {
                if (e.getValue() == null) {
                    batch.delete(bytes(e.getKey()));
                } else {
                    batch.put(bytes(e.getKey()), e.getValue());
                }
            }
            db.write(writeOptions, batch);
        }
    }

    /** Where to resume {@code topic|partition} from, or null to start at the beginning. */
    public Long checkpoint(String topicPartition) {
        byte[] v = read("o|" + topicPartition);
        return v == null ? null : ByteBuffer.wrap(v).getLong();
    }

    /** See {@link AuditIndex#search}. */
    public AuditIndex.Page search(AuditQuery q, int limit, String cursor, int scanBudget) {
        return AuditIndex.search(readKv(), q, limit, cursor, scanBudget);
    }

    private AuditIndex.Kv readKv() {
        return new AuditIndex.Kv() {
            @Override
            public byte[] get(String key) {
                return read(key);
            }

            @Override
            public void put(String key, byte[] value) {
                throw new UnsupportedOperationException("searches do not write");
            }

            @Override
            public void delete(String key) {
                throw new UnsupportedOperationException("searches do not write");
            }

            @Override
            public AuditIndex.Scan scan(String from) {
                RocksIterator it = db.newIterator();
                it.seek(bytes(from));
                return new AuditIndex.Scan() {
                    @Override
                    public boolean hasNext() {
                        return it.isValid();
                    }

                    @Override
                    public Map.Entry<String, byte[]> next() {
                        if (!it.isValid()) {
                            throw new NoSuchElementException();
                        }
                        var e = Map.entry(new String(it.key(), StandardCharsets.UTF_8), it.value());
                        it.next();
                        return e;
                    }

                    @Override
                    public void close() {
                        it.close();
                    }
                };
            }
        };
    }

    private byte[] read(String key) {
        try {
            return db.get(bytes(key));
        } catch (RocksDBException e) {
            throw new IllegalStateException("audit store read failed", e);
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
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
