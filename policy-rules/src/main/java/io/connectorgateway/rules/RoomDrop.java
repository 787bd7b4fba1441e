package io.connectorgateway.rules;

import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * R4: whether an open room must be dropped under the state after a change, and the reason the
 * platform is told. The first cause that applies wins, from the widest (the plan) to the narrowest
 * (this member), so that a tenant-wide change is reported as such.
 *
 * <p>The policy stream drops rooms with {@link #reason}; the admin API's impact preview predicts
 * with {@link #preview}, which applies the same function to the state before and after a proposed
 * change.
 */
public final class RoomDrop {
    private RoomDrop() {
    }

    /**
     * @param now     settings after the change
     * @param before  settings before the change, or {@code now} when the settings did not change
     * @param granted whether the member has a granted row on the connected-members list after the change
     * @param left    whether the directory reports the member as LEFT
     */
    public static Optional<RoomCommand.Reason> reason(TenantSettings now, TenantSettings before, boolean granted, boolean left) {
        if (!now.plan().allowsConnectors()) {
            return Optional.of(RoomCommand.Reason.PLAN_BELOW_LITE);
        }
        if (!now.enabled()) {
            return Optional.of(RoomCommand.Reason.CONNECTOR_DISABLED);
        }
        if (left) {
            return Optional.of(RoomCommand.Reason.MEMBER_LEFT);
        }
        if (now.permissionMode() == PermissionMode.BY_MEMBER && !granted) {
            return Optional.of(before.permissionMode() == PermissionMode.ALL_MEMBERS
                    ? RoomCommand.Reason.SWITCHED_TO_BY_MEMBER
                    : RoomCommand.Reason.MEMBER_REMOVED);
        }
        return Optional.empty();
    }

    /** A room a change would drop, and why. */
    public record Drop(String roomId, String memberId, RoomCommand.Reason reason) {
    }

    /**
     * The rooms a change from {@code now} to {@code after} would drop: those open now that
     * {@link #reason} keeps under the current state and drops under the state after. A room the
     * current state already drops (its member left, say) is the stream's to drop now, not the
     * change's, so it is not counted.
     *
     * @param grantedNow   members with a granted row now
     * @param grantedAfter members with a granted row after the change
     * @param left         members the directory reports as LEFT
     */
    public static List<Drop> preview(TenantSettings now, TenantSettings after, Set<String> grantedNow, Set<String> grantedAfter,
                                     Predicate<String> left, List<RoomCommand> open) {
        List<Drop> drops = new ArrayList<>();
        for (RoomCommand room : open) {
            String member = room.memberId();
            boolean hasLeft = left.test(member);
            if (reason(now, now, grantedNow.contains(member), hasLeft).isPresent()) {
                continue;
            }
            reason(after, now, grantedAfter.contains(member), hasLeft)
                    .ifPresent(r -> drops.add(new Drop(room.roomId(), member, r)));
        }
        return drops;
    }
}
