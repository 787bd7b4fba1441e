package io.connectorgateway.contracts;

/** The two kinds of outsiders a tenant's members may talk to. */
public enum Connector {
    /** Consumers on LINE; a room starts when the LINE user adds the member as a friend. */
    LINE,
    /** Members of other companies' WORKS tenants; a room starts when the member adds them as a contact. */
    WORKS
}
