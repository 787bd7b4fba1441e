package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.policy.state.OpenRoom;
import java.util.Optional;

/** R5b: messages pass only inside an open room (never added, unfollowed and dropped all mean none). */
public final class OpenRoomRule {
    private OpenRoomRule() {
    }

    public static Optional<Verdict> refusal(TenantSettings s, OpenRoom room) {
        if (room == null) {
            return Optional.of(Verdict.refused("R5b", "there is no open room between this member and this external user",
                    s.version()));
        }
        return Optional.empty();
    }
}
