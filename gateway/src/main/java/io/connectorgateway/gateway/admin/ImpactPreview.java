package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.PermissionMode;
import io.connectorgateway.contracts.settings.TenantSettings;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a proposed change would do to open rooms (SPEC R4), without writing anything: a room is
 * dropped when its member is permitted now and would not be after the change. Uses the same
 * permission rule as the stream: connector effectively enabled, and in BY_MEMBER mode the member
 * on the list, and the member not departed.
 */
@Singleton
public final class ImpactPreview {
    private final ControlView view;

    public ImpactPreview(ControlView view) {
        this.view = view;
    }

    public record MemberImpact(String memberId, int rooms, List<String> roomIds, RoomCommand.Reason reason) {
    }

    public record Impact(String tenant, Connector connector, long settingsVersion, int openRooms, int roomsDropped,
                         List<MemberImpact> members) {
    }

    public Impact preview(String tenant, Connector connector, ImpactRequest request) {
        Set<String> granted = new HashSet<>();
        for (ConnectedMember m : view.members(tenant, connector)) {
            if (m.granted()) {
                granted.add(m.memberId());
            }
        }
        return compute(view.settings(tenant, connector), granted, m -> view.left(tenant, m),
                view.openRooms(tenant, connector), request);
    }

    static Impact compute(TenantSettings now, Set<String> granted, Predicate<String> left, List<RoomCommand> open,
                          ImpactRequest change) {
        Plan plan = change.plan() != null ? change.plan() : now.plan();
        boolean enabled = change.enabled() != null ? change.enabled() : now.enabled();
        PermissionMode mode = change.permissionMode() != null ? change.permissionMode() : now.permissionMode();
        Set<String> grantedAfter = new HashSet<>(granted);
        change.removeMembers().forEach(grantedAfter::remove);

        Map<String, List<String>> dropped = new LinkedHashMap<>();
        Map<String, RoomCommand.Reason> reasons = new LinkedHashMap<>();
        for (RoomCommand room : open) {
            String member = room.memberId();
            boolean permittedNow = permitted(now.plan(), now.enabled(), now.permissionMode(), granted, left, member);
            boolean permittedAfter = permitted(plan, enabled, mode, grantedAfter, left, member);
            if (permittedNow && !permittedAfter) {
                dropped.computeIfAbsent(member, m -> new ArrayList<>()).add(room.roomId());
                reasons.put(member, !plan.allowsConnectors() ? RoomCommand.Reason.PLAN_BELOW_LITE
                        : !enabled ? RoomCommand.Reason.CONNECTOR_DISABLED
                        : now.permissionMode() == PermissionMode.ALL_MEMBERS ? RoomCommand.Reason.SWITCHED_TO_BY_MEMBER
                        : RoomCommand.Reason.MEMBER_REMOVED);
            }
        }
        List<MemberImpact> members = dropped.entrySet().stream()
                .map(e -> new MemberImpact(e.getKey(), e.getValue().size(), List.copyOf(e.getValue()), reasons.get(e.getKey())))
                .toList();
        return new Impact(now.tenant(), now.connector(), now.version(), open.size(),
                members.stream().mapToInt(MemberImpact::rooms).sum(), members);
    }

    private static boolean permitted(Plan plan, boolean enabled, PermissionMode mode, Set<String> granted,
                                     Predicate<String> left, String member) {
        return enabled && plan.allowsConnectors() && !left.test(member)
                && (mode == PermissionMode.ALL_MEMBERS || granted.contains(member));
    }
}
