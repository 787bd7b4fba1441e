package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.rules.RoomDrop;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a proposed change would do to open rooms (SPEC R4), without writing anything: the rooms
 * {@link RoomDrop#preview} finds, i.e. the stream's own drop rule ({@link RoomDrop#reason}, module
 * policy-rules) applied to the state now and to the state after the change. This class only reads
 * the view and groups the drops by member.
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
        TenantSettings after = new TenantSettings(now.schemaVersion(), now.tenant(), now.connector(), now.version(),
                change.plan() != null ? change.plan() : now.plan(),
                change.enabled() != null ? change.enabled() : now.enabled(),
                change.permissionMode() != null ? change.permissionMode() : now.permissionMode(),
                now.autoGrantNewMembers(), now.greeting(), now.attachments(), now.change());
        Set<String> grantedAfter = new HashSet<>(granted);
        change.removeMembers().forEach(grantedAfter::remove);

        Map<String, List<String>> dropped = new LinkedHashMap<>();
        Map<String, RoomCommand.Reason> reasons = new LinkedHashMap<>();
        for (RoomDrop.Drop drop : RoomDrop.preview(now, after, granted, grantedAfter, left, open)) {
            dropped.computeIfAbsent(drop.memberId(), m -> new ArrayList<>()).add(drop.roomId());
            reasons.put(drop.memberId(), drop.reason());
        }
        List<MemberImpact> members = dropped.entrySet().stream()
                .map(e -> new MemberImpact(e.getKey(), e.getValue().size(), List.copyOf(e.getValue()), reasons.get(e.getKey())))
                .toList();
        return new Impact(now.tenant(), now.connector(), now.version(), open.size(),
                members.stream().mapToInt(MemberImpact::rooms).sum(), members);
    }
}
