package io.connectorgateway.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool file on its own: order, durability across a reopen, a torn tail, the size and age limits, one writer. */
class WebhookSpoolTest {
    @TempDir
    Path dir;

    private static List<ProducerRecord<byte[], byte[]>> request(String id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("connector.works.events", null,
                ("key-" + id).getBytes(StandardCharsets.UTF_8), ("{\"eventId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        r.headers().add("h", id.getBytes(StandardCharsets.UTF_8));
        return List.of(r, new ProducerRecord<>("connector.dlq", null, null, ("dead-" + id).getBytes(StandardCharsets.UTF_8)));
    }

    private static String id(WebhookSpool.Entry e) {
        return new String(e.records().get(0).key(), StandardCharsets.UTF_8).substring(4);
    }

    @Test
    void entriesComeBackInOrderWithTheirBytesAndSurviveAReopen() throws Exception {
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            for (String id : List.of("a", "b", "c")) {
                s.append(request(id));
            }
            assertEquals(3, s.entries());
            WebhookSpool.Entry a = s.peek();
            assertEquals("a", id(a));
            assertArrayEquals("{\"eventId\":\"a\"}".getBytes(StandardCharsets.UTF_8), a.records().get(0).value());
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), a.records().get(0).headers().lastHeader("h").value());
            assertNull(a.records().get(1).key());
            assertEquals("connector.dlq", a.records().get(1).topic());
            s.done(a);
        }
        // a restart: what was not replayed is still there, in order; what was is not
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            assertEquals(2, s.entries());
            WebhookSpool.Entry b = s.peek();
            assertEquals("b", id(b));
            s.done(b);
            WebhookSpool.Entry c = s.peek();
            assertEquals("c", id(c));
            s.done(c);
            assertTrue(s.isEmpty());
            assertNull(s.peek());
            assertEquals(0, Files.size(dir.resolve("spool.log")), "an emptied spool starts its file again");
        }
    }

    @Test
    void aTornTailFromACrashMidAppendIsCutOffAndTheRestKept() throws Exception {
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            s.append(request("a"));
            s.append(request("b"));
        }
        Path log = dir.resolve("spool.log");
        long whole = Files.size(log);
        // a crash while the third entry was being written (never fsynced, never acknowledged)
        Files.write(log, new byte[] {0, 0, 0, 90, 1, 2, 3}, StandardOpenOption.APPEND);
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            assertEquals(2, s.entries());
            assertEquals(whole, Files.size(log), "the torn bytes are cut off");
            s.append(request("c"));
            assertEquals(List.of("a", "b", "c"), drain(s));
        }
        // a flipped bit in an entry's body: its CRC fails, it and everything after it are not replayed as good data
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            s.append(request("d"));
        }
        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(log, bytes);
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            assertTrue(s.isEmpty());
        }
    }

    @Test
    void pastTheSizeLimitAnAppendIsRefusedAndNothingIsWritten() throws Exception {
        int one = WebhookSpool.encode(request("a")).length + 16;
        try (WebhookSpool s = new WebhookSpool(dir, 2L * one, Duration.ofHours(1), Clock.systemUTC())) {
            s.append(request("a"));
            s.append(request("b"));
            long size = Files.size(dir.resolve("spool.log"));
            WebhookSpool.SpoolFullException full = assertThrows(WebhookSpool.SpoolFullException.class, () -> s.append(request("c")));
            assertTrue(full.getMessage().contains("limit"), full.getMessage());
            assertEquals(size, Files.size(dir.resolve("spool.log")));
            // replaying frees the room again
            s.done(s.peek());
            s.append(request("c"));
            assertEquals(List.of("b", "c"), drain(s));
        }
    }

    @Test
    void anEntryOlderThanTheAgeLimitIsExpired() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofMinutes(10), clock)) {
            s.append(request("old"));
            clock.now = clock.now.plus(Duration.ofMinutes(9));
            s.append(request("young"));
            assertFalse(s.expired(s.peek()));
            assertEquals(540, s.oldestAgeMillis() / 1000);
            clock.now = clock.now.plus(Duration.ofMinutes(2));
            WebhookSpool.Entry old = s.peek();
            assertTrue(s.expired(old), "11 minutes > 10");
            s.done(old);
            assertFalse(s.expired(s.peek()), "2 minutes");
        }
    }

    @Test
    void aSecondGatewayOnTheSameDirectoryIsRefused() throws Exception {
        try (WebhookSpool s = new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC())) {
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> new WebhookSpool(dir, 1 << 20, Duration.ofHours(1), Clock.systemUTC()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    private static List<String> drain(WebhookSpool s) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        WebhookSpool.Entry e;
        while ((e = s.peek()) != null) {
            out.add(id(e));
            s.done(e);
        }
        return out;
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
