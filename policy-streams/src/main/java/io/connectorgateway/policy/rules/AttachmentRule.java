package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.AttachmentRestriction;
import java.util.ArrayList;
import java.util.List;

/**
 * R8 attachments, in both directions. In a chat message the restricted kinds are the settings'
 * list (the guides' defaults: camera photos and videos, files, contacts, Drive files and folders,
 * templates). In WORKS external-group content the guides restrict less: files may not be attached
 * to notes, calendar events and folders, and templates may not be put on notes and boards; other
 * combinations pass. Text and stickers always pass.
 */
public final class AttachmentRule {
    private AttachmentRule() {
    }

    /** What the rule does to one message. */
    public enum Action { PASS, STRIP, BLOCK }

    /**
     * @param action   PASS (nothing restricted), STRIP or BLOCK
     * @param kept     attachments delivered
     * @param removed  restricted attachments (stripped, or the reason for the block)
     */
    public record Outcome(Action action, List<Attachment> kept, List<Attachment> removed) {
        public List<String> removedKinds() {
            return removed.stream().map(a -> a.kind().name()).distinct().toList();
        }

        /** What the sender is told when STRIP removed something. */
        public String senderNotice() {
            return removed.size() + " attachment(s) removed (" + String.join(", ", removedKinds())
                    + "): file transfer and attachments are restricted in rooms with external users";
        }
    }

    public static Outcome apply(AttachmentRestriction restriction, ConnectorEvent event) {
        List<Attachment> kept = new ArrayList<>();
        List<Attachment> removed = new ArrayList<>();
        for (Attachment a : event.attachments()) {
            if (restricted(restriction, event, a.kind())) {
                removed.add(a);
            } else {
                kept.add(a);
            }
        }
        if (removed.isEmpty()) {
            return new Outcome(Action.PASS, kept, removed);
        }
        return new Outcome(restriction.action() == AttachmentAction.BLOCK ? Action.BLOCK : Action.STRIP, kept, removed);
    }

    static boolean restricted(AttachmentRestriction restriction, ConnectorEvent event, AttachmentKind kind) {
        if (!restriction.restricts(kind)) {
            return false;
        }
        if (event.type() != EventType.GROUP_CONTENT) {
            return true;
        }
        GroupContentType where = event.groupContentType();
        if (kind == AttachmentKind.TEMPLATE) {
            return where == GroupContentType.NOTE || where == GroupContentType.BOARD;
        }
        return where == GroupContentType.NOTE || where == GroupContentType.EVENT || where == GroupContentType.FOLDER;
    }
}
