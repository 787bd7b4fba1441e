package io.connectorgateway.contracts.event;

import java.util.EnumSet;
import java.util.Set;

/**
 * Kinds of content that can ride along with a message or WORKS group content.
 *
 * <p>Text is not an attachment (it is {@code ConnectorEvent.text}). Stickers are modelled as an
 * attachment kind so they can be carried, but they can never be restricted (SPEC R8: "text and
 * stickers always pass").
 */
public enum AttachmentKind {
    /** A photo, typically from the camera. */
    IMAGE,
    /** A video, typically from the camera. */
    VIDEO,
    AUDIO,
    FILE,
    LOCATION,
    STICKER,
    /** A shared contact card. */
    CONTACT,
    DRIVE_FILE,
    DRIVE_FOLDER,
    /** A WORKS template (on messages, notes or boards). */
    TEMPLATE;

    /** The kinds the admin guides name as restricted when "restrict file transfer / attachment" is on. */
    public static Set<AttachmentKind> guideDefaults() {
        return EnumSet.of(IMAGE, VIDEO, FILE, CONTACT, DRIVE_FILE, DRIVE_FOLDER, TEMPLATE);
    }

    /** Whether an admin may put this kind on the restricted list. */
    public boolean restrictable() {
        return this != STICKER;
    }
}
