package io.connectorgateway.gateway.admin;

import java.util.List;
import java.util.Map;

/**
 * Add and/or remove connected members in one call (one audit record). Adding a member already
 * on the list, or removing one who is not, changes nothing: the operations are set operations, so
 * two admins adding different members at once cannot undo each other. {@code expectedVersions}
 * (member id to row version, 0 for "no row yet") makes a change conditional, 409 otherwise.
 */
public record MembersChange(List<String> add, List<String> remove, String reason, Map<String, Long> expectedVersions) {
    public MembersChange {
        add = add == null ? List.of() : List.copyOf(add);
        remove = remove == null ? List.of() : List.copyOf(remove);
        expectedVersions = expectedVersions == null ? Map.of() : Map.copyOf(expectedVersions);
    }
}
