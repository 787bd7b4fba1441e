package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.settings.PermissionMode;
import java.util.List;

/**
 * A proposed change to preview: any of disabling (or enabling) the connector, a permission mode,
 * a plan, members to remove. Absent fields stay as they are.
 */
public record ImpactRequest(Boolean enabled, PermissionMode permissionMode, Plan plan, List<String> removeMembers) {
    public ImpactRequest {
        removeMembers = removeMembers == null ? List.of() : List.copyOf(removeMembers);
    }
}
