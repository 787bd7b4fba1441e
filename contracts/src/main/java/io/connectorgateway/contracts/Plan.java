package io.connectorgateway.contracts;

/** A tenant's subscription plan. Connectors and attachment restriction need {@link #LITE} or above (SPEC R1). */
public enum Plan {
    FREE, LITE, BASIC, ADVANCED;

    /** Whether this plan may enable a connector or restrict attachments. */
    public boolean allowsConnectors() {
        return compareTo(LITE) >= 0;
    }
}
