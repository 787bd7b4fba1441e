package io.connectorgateway.contracts.settings;

/** Who may chat with outsiders on a connector (SPEC R3). */
public enum PermissionMode {
    /** Every active member of the tenant. */
    ALL_MEMBERS,
    /** Only the members on the connected-members list. */
    BY_MEMBER
}
