package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.DirectoryEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.Optional;

/**
 * R4: whether an open room must be dropped under the state after a change, and the reason the
 * platform is told. The first cause that applies wins, from the widest (the plan) to the narrowest
 * (this member), so that a tenant-wide change is reported as such.
 */
public final class RoomDropRule {
    private RoomDropRule() {
    }

    /**
     * @param now      settings after the change
     * @param before   settings before the change, or {@code now} when the settings did not change
     * @param member   the member's connected-member row after the change, may be null
     * @param directory the member's last directory event, may be null
     */
    public static Optional<RoomCommand.Reason> reason(TenantSettings now, TenantSettings before, ConnectedMember member,
                                                      DirectoryEvent directory) {
        if (!now.plan().allowsConnectors()) {
            return Optional.of(RoomCommand.Reason.PLAN_BELOW_LITE);
        }
        if (!now.enabled()) {
            return Optional.of(RoomCommand.Reason.CONNECTOR_DISABLED);
        }
        if (PermissionRule.hasLeft(directory)) {
            return Optional.of(RoomCommand.Reason.MEMBER_LEFT);
        }
        if (now.permissionMode() == PermissionMode.BY_MEMBER && (member == null || !member.granted())) {
            return Optional.of(before.permissionMode() == PermissionMode.ALL_MEMBERS
                    ? RoomCommand.Reason.SWITCHED_TO_BY_MEMBER
                    : RoomCommand.Reason.MEMBER_REMOVED);
        }
        return Optional.empty();
    }
}
