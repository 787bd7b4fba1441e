package io.connectorgateway.policy;

import static io.connectorgateway.policy.Fixtures.message;
import static io.connectorgateway.policy.Fixtures.settings;
import static io.connectorgateway.policy.Fixtures.unsend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.HistoryEntry;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.event.AttachmentKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: message content is written only sealed under a key of its own on
 * {@code connector.content.keys}; an unsend tombstones that key (its tenant's only), so every sealed
 * copy becomes unreadable at once.
 */
class UnsendForgetsTest {
    private final PolicyDriver p = new PolicyDriver();

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void theHistoryTopicNeverHoldsContentInClearAndTheUnsendDeletesTheKey() {
        p.twoLineTenantsWithRooms();
        p.clearOutputs().event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "very secret words",
                AttachmentKind.FILE));
        HistoryEntry raw = p.historyRecords.get(0).value;
        String json = new String(p.topics.history.valueSerde().serializer().serialize("t", raw), StandardCharsets.UTF_8);
        assertFalse(json.contains("very secret"), "no text in clear on connector.history: " + json);
        assertNotNull(raw.sealed());
        assertEquals(2, raw.schemaVersion());
        ContentKey key = p.contentKeys.get("acme:LINE:m-1");
        assertNotNull(key, "the message's key is on connector.content.keys under its tenant's key");
        assertEquals("very secret words", raw.opened(key).text());
        assertEquals(AttachmentKind.FILE, raw.opened(key).attachments().get(0).kind());

        p.clearOutputs().event(unsend("un-1", "acme", "m1", "U1", Direction.INBOUND, "m-1"));
        assertEquals(1, p.keyRecords.size());
        assertEquals("acme:LINE:m-1", p.keyRecords.get(0).key);
        assertNull(p.keyRecords.get(0).value, "the unsend tombstones the key");
        assertNull(p.contentKeys.get("acme:LINE:m-1"));
        // what a reader still holding the sealed copy can do without the key: nothing
        ContentKey another = SealedContent.newKey("acme", Connector.LINE, "m-1");
        assertThrows(IllegalArgumentException.class, () -> raw.sealed().open(another));
    }

    @Test
    void anUnsendOfAnotherTenantsIdNeverDeletesThatTenantsKey() {
        p.twoLineTenantsWithRooms();
        p.event(message("m-1", "acme", Connector.LINE, "m1", "U1", Direction.INBOUND, "acme words"));
        p.clearOutputs().event(unsend("un-g", "globex", "m1", "U1", Direction.INBOUND, "m-1"));
        assertEquals(1, p.keyRecords.size());
        assertEquals("globex:LINE:m-1", p.keyRecords.get(0).key, "only a globex key is tombstoned");
        assertNotNull(p.contentKeys.get("acme:LINE:m-1"), "acme's key stays");
        ContentKey acme = p.contentKeys.get("acme:LINE:m-1");
        // a sealed copy cannot be passed off under another tenant's key id
        SealedContent sealed = SealedContent.seal(acme, new SealedContent.Content("x", null));
        ContentKey forged = new ContentKey(1, "globex", Connector.LINE, "m-1", SealedContent.AES256_GCM, acme.key());
        assertThrows(IllegalArgumentException.class, () -> sealed.open(forged));
    }

    @Test
    void aQuietPartitionGetsARollMarkerEveryHalfBound() {
        p.driver.advanceWallClockTime(Duration.ofMillis(p.topics.contentKeyCompactionMs() / 2 + 1));
        p.settings(settings("acme", Connector.LINE).build());
        assertTrue(p.keyRecords.stream().anyMatch(kv -> kv.key.startsWith(PolicyProcessor.ROLL_MARKER) && kv.value == null),
                "" + p.keyRecords);
    }
}
