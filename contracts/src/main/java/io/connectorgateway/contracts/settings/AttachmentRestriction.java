package io.connectorgateway.contracts.settings;

import io.connectorgateway.contracts.event.AttachmentKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * "Restrict file transfer / attachment" (SPEC R8).
 *
 * @param enabled whether restricted kinds are stripped or blocked
 * @param action  STRIP or BLOCK
 * @param kinds   the restricted kinds; empty or null means the guides' defaults
 */
public record AttachmentRestriction(boolean enabled, AttachmentAction action, Set<AttachmentKind> kinds) {
    public AttachmentRestriction {
        if (action == null) {
            action = AttachmentAction.STRIP;
        }
        kinds = kinds == null || kinds.isEmpty() ? AttachmentKind.guideDefaults() : EnumSet.copyOf(kinds);
        kinds = Set.copyOf(kinds);
    }

    public static AttachmentRestriction off() {
        return new AttachmentRestriction(false, AttachmentAction.STRIP, null);
    }

    public boolean restricts(AttachmentKind kind) {
        return enabled && kind.restrictable() && kinds.contains(kind);
    }
}
