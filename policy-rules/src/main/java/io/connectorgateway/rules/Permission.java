package io.connectorgateway.rules;

import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.Optional;

/**
 * R3 permission. {@code ALL_MEMBERS}: every active member, i.e. everyone the directory has not
 * reported as LEFT (the platform's directory predates the gateway, so a member the gateway has
 * never heard of counts as active). {@code BY_MEMBER}: only members with a granted row on the
 * connected-members list, and still not LEFT.
 */
public final class Permission {
    private Permission() {
    }

    /** Why the member may not chat, or empty when permitted. */
    public static Optional<String> whyNot(TenantSettings s, ConnectedMember member, DirectoryEvent directory) {
        if (hasLeft(directory)) {
            return Optional.of("member " + directory.memberId() + " has left the tenant");
        }
        if (s.permissionMode() == PermissionMode.BY_MEMBER && !granted(member)) {
            return Optional.of("the " + s.connector() + " connector is BY_MEMBER and the member is not on the connected-members list");
        }
        return Optional.empty();
    }

    public static boolean hasLeft(DirectoryEvent directory) {
        return directory != null && directory.type() == DirectoryEvent.Type.LEFT;
    }

    public static boolean granted(ConnectedMember member) {
        return member != null && member.granted();
    }
}
