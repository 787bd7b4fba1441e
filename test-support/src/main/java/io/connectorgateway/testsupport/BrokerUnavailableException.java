package io.connectorgateway.testsupport;

/** The chosen broker mode cannot work on this machine; tests that need it are skipped, not failed. */
public final class BrokerUnavailableException extends RuntimeException {
    public BrokerUnavailableException(String message) {
        super(message);
    }
}
