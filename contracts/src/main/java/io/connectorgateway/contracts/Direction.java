package io.connectorgateway.contracts;

/** Which side of the company boundary an event comes from. */
public enum Direction {
    /** From the external user (LINE user or other tenant's WORKS user) to the member. */
    INBOUND,
    /** From the member to the external user. */
    OUTBOUND
}
