package io.connectorgateway.gateway.webhook;

/** Whoever a webhook request claims to come from (a LINE channel, a WORKS bot): known by its secrets. */
public interface Sender {
    Secrets secrets();
}
