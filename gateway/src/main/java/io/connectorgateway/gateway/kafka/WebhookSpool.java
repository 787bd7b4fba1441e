package io.connectorgateway.gateway.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, bounded, ordered spool of webhook requests that Kafka did not acknowledge in time,
 * on the gateway's own disk. One entry = the records of one request (events and dead letters),
 * written and {@code fsync}ed before the request is answered 200, replayed to Kafka in append
 * order, and forgotten only once Kafka acknowledged all of them.
 *
 * <p>Files in {@code dir}: {@code spool.log} (entries: length, CRC32C, spooled-at millis, the
 * records) and {@code spool.pos} (the offset of the first entry not yet replayed, replaced
 * atomically and fsynced after each replay). A torn tail (a crash while appending, before the
 * fsync returned, so never acknowledged) fails its CRC or length and is cut off on open.
 *
 * <p>Limits: {@code maxBytes} of entries not yet replayed ({@link #append} refuses beyond it:
 * the caller answers 503, as without a spool) and {@code maxAge} (an entry older than that when
 * its turn comes is not produced to its topic but dead-lettered, reason {@code spool-expired},
 * so it is never lost silently and never decided as if it were fresh).
 *
 * <p>A replay that reached Kafka but crashed before {@code spool.pos} moved produces the entry
 * again: the events carry stable ids, so the policy stream absorbs the copy as a redelivery.
 * Not thread-safe by itself: every method is synchronized.
 */
public final class WebhookSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSpool.class);
    private static final int HEADER_BYTES = 4 + 4 + 8; // length, crc, spooled-at
    /** An entry is one request: at most the 1 MiB body's events, with room for their envelopes. */
    static final int MAX_ENTRY_BYTES = 16 * 1024 * 1024;

    /** One spooled request. */
    public record Entry(long offset, long spooledAtMillis, List<ProducerRecord<byte[], byte[]>> records, int bytes) {
    }

    /** The spool is full: the request must be refused (503), as it was before the spool existed. */
    public static final class SpoolFullException extends Exception {
        SpoolFullException(String message) {
            super(message);
        }
    }

    private final Path log;
    private final Path pos;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;
    private long replayed;
    private long end;
    private int entries;
    private long oldestMillis = -1;

    public WebhookSpool(Path dir, long maxBytes, Duration maxAge, Clock clock) throws IOException {
        if (maxBytes <= 0 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("spool limits must be positive: " + maxBytes + " bytes, " + maxAge);
        }
        Files.createDirectories(dir);
        this.log = dir.resolve("spool.log");
        this.pos = dir.resolve("spool.pos");
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        // one gateway per spool directory: two writers would interleave their entries
        this.lockChannel = FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("the webhook spool " + dir + " is in use by another gateway; give each instance its own directory");
        }
        this.lock = l;
        this.channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.replayed = readPos();
        recover();
    }

    private long readPos() throws IOException {
        if (!Files.exists(pos)) {
            return 0;
        }
        String s = Files.readString(pos, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("unreadable spool position in " + pos + ": '" + s + "'");
        }
    }

    /** Scans from the replay position: counts the entries, cuts a torn tail off. */
    private void recover() throws IOException {
        long size = channel.size();
        if (replayed > size) {
            throw new IOException("spool position " + replayed + " is beyond the end of " + log + " (" + size + " bytes)");
        }
        long at = replayed;
        while (at < size) {
            Entry e = readAt(at, size);
            if (e == null) {
                LOG.warn("webhook spool: cutting a torn entry off at byte {} of {} (written by a crash before it was acknowledged)",
                        at, log);
                channel.truncate(at);
                channel.force(true);
                break;
            }
            if (entries == 0) {
                oldestMillis = e.spooledAtMillis();
            }
            entries++;
            at += e.bytes();
        }
        end = at;
        if (entries > 0) {
            LOG.warn("webhook spool: {} request(s) ({} bytes) from before the restart wait for Kafka", entries, end - replayed);
        }
    }

    /**
     * Appends the records of one request and returns once they are on disk ({@code fsync}).
     *
     * @throws SpoolFullException when the entries not yet replayed would exceed the size limit
     */
    public synchronized void append(List<ProducerRecord<byte[], byte[]>> records) throws SpoolFullException, IOException {
        byte[] payload = encode(records);
        int length = HEADER_BYTES + payload.length;
        if (length > MAX_ENTRY_BYTES) {
            throw new SpoolFullException("one request of " + length + " bytes exceeds the spool's entry limit");
        }
        if (pendingBytes() + length > maxBytes) {
            throw new SpoolFullException("the spool holds " + pendingBytes() + " bytes; " + length + " more would exceed its "
                    + maxBytes + "-byte limit");
        }
        long now = clock.millis();
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putInt(length);
        b.putInt(0); // crc, below
        b.putLong(now);
        b.put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, length - 8);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        long at = end;
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
        channel.force(true);
        end = at;
        if (entries == 0) {
            oldestMillis = now;
        }
        entries++;
    }

    /** The oldest entry not yet replayed, or null when the spool is empty. */
    public synchronized Entry peek() throws IOException {
        return replayed >= end ? null : readAt(replayed, end);
    }

    /** True when {@code e} has waited longer than the age limit: it must be dead-lettered, not produced. */
    public boolean expired(Entry e) {
        return clock.millis() - e.spooledAtMillis() > maxAge.toMillis();
    }

    /** Kafka acknowledged every record of {@code e} (the head): it is forgotten, durably. */
    public synchronized void done(Entry e) throws IOException {
        if (e.offset() != replayed) {
            throw new IllegalStateException("spool entry at " + e.offset() + " is not the head (" + replayed + ")");
        }
        replayed += e.bytes();
        entries--;
        if (replayed == end) {
            // empty: start the file again, so it never grows beyond the limit over time
            channel.truncate(0);
            channel.force(true);
            replayed = 0;
            end = 0;
            oldestMillis = -1;
        } else {
            Entry next = readAt(replayed, end);
            oldestMillis = next == null ? -1 : next.spooledAtMillis();
        }
        writePos();
    }

    private void writePos() throws IOException {
        Path tmp = pos.resolveSibling("spool.pos.tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.wrap(Long.toString(replayed).getBytes(StandardCharsets.US_ASCII)));
            c.force(true);
        }
        try {
            Files.move(tmp, pos, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, pos, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public synchronized boolean isEmpty() {
        return entries == 0;
    }

    public synchronized int entries() {
        return entries;
    }

    public synchronized long pendingBytes() {
        return end - replayed;
    }

    /** How long the oldest entry has waited, in ms (0 when empty). */
    public synchronized long oldestAgeMillis() {
        return entries == 0 ? 0 : Math.max(0, clock.millis() - oldestMillis);
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** The entry at {@code at}, or null when it is incomplete or fails its CRC (a torn tail). */
    private Entry readAt(long at, long limit) throws IOException {
        if (limit - at < HEADER_BYTES) {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        readFully(head, at);
        int length = head.getInt(0);
        if (length < HEADER_BYTES || length > MAX_ENTRY_BYTES || at + length > limit) {
            return null;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        readFully(all, at);
        CRC32C crc = new CRC32C();
        crc.update(all.array(), 8, length - 8);
        if ((int) crc.getValue() != all.getInt(4)) {
            return null;
        }
        long spooledAt = all.getLong(8);
        return new Entry(at, spooledAt, decode(all.array(), HEADER_BYTES, length - HEADER_BYTES), length);
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + log + " at " + p);
            }
            p += n;
        }
    }

    static byte[] encode(List<ProducerRecord<byte[], byte[]>> records) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                out.writeUTF(r.topic());
                out.writeInt(r.partition() == null ? -1 : r.partition());
                bytesOrNull(out, r.key());
                bytesOrNull(out, r.value());
                Header[] headers = r.headers().toArray();
                out.writeInt(headers.length);
                for (Header h : headers) {
                    out.writeUTF(h.key());
                    bytesOrNull(out, h.value());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void bytesOrNull(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    static List<ProducerRecord<byte[], byte[]>> decode(byte[] buf, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(buf, offset, length));
        int n = in.readInt();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String topic = in.readUTF();
            int partition = in.readInt();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition < 0 ? null : partition, key, value);
            int headers = in.readInt();
            for (int h = 0; h < headers; h++) {
                r.headers().add(in.readUTF(), readBytes(in));
            }
            records.add(r);
        }
        return records;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
        lock.release();
        lockChannel.close();
    }
}
