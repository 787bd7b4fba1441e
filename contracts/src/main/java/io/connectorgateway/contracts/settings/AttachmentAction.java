package io.connectorgateway.contracts.settings;

/** What happens to a message carrying restricted content (SPEC R8). */
public enum AttachmentAction {
    /** Deliver what remains (text, stickers, unrestricted kinds) and tell the sender what was removed. */
    STRIP,
    /** Refuse the whole message. */
    BLOCK
}
