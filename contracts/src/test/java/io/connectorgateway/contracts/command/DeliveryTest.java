package io.connectorgateway.contracts.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.content.ContentKey;
import io.connectorgateway.contracts.content.SealedContent;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A delivery built by what it says, sealed under its message's key and nobody else's. */
class DeliveryTest {
    private final ContentKey key = SealedContent.newKey("acme", Connector.LINE, "evt-1");

    private Delivery.Builder stripped() {
        return Delivery.of("dlv-1", "acme", Connector.LINE, "evt-1", Direction.INBOUND)
                .room("room-1", "m-1", "U1")
                .content("hello", List.of(Attachment.of(AttachmentKind.STICKER)))
                .stripped(List.of(new Attachment(AttachmentKind.FILE, "secret-plan.pdf", 10L, null)), "1 file was removed")
                .decidedUnder(7, 1_000);
    }

    @Test
    void sealedUnderItsKeyCarriesNoContentInClearAndOpensToWhatWasBuilt() {
        Delivery d = stripped().sealedUnder(key);
        assertEquals(Delivery.SCHEMA_VERSION, d.schemaVersion());
        assertNull(d.text());
        assertTrue(d.attachments().isEmpty());
        assertEquals(List.of(Attachment.of(AttachmentKind.FILE)), d.stripped(), "what was stripped: by kind only");
        assertFalse(d.toString().contains("secret-plan"), d.toString());
        Delivery opened = d.opened(key);
        assertEquals("hello", opened.text());
        assertEquals(List.of(Attachment.of(AttachmentKind.STICKER)), opened.attachments());
        assertEquals(7, opened.settingsVersion());
        assertEquals("room-1", opened.roomId());
        assertEquals(d.withoutContent(), opened.withoutContent(), "the decision is the same, content aside");
    }

    @Test
    void anotherMessagesKeyIsRefused() {
        ContentKey other = SealedContent.newKey("acme", Connector.LINE, "evt-2");
        assertThrows(IllegalArgumentException.class, () -> stripped().sealedUnder(other));
        ContentKey otherTenant = SealedContent.newKey("globex", Connector.LINE, "evt-1");
        assertThrows(IllegalArgumentException.class, () -> stripped().sealedUnder(otherTenant));
    }

    @Test
    void inClearIsAnEarlierReleasesDelivery() {
        Delivery d = stripped().inClear();
        assertEquals(1, d.schemaVersion());
        assertEquals("hello", d.text());
        assertNull(d.sealed());
        assertEquals(d, d.toBuilder().inClear());
    }
}
