package io.connectorgateway.greeting.line;

/**
 * No HTTP answer at all: connection refused or reset, or a timeout. LINE may or may not have
 * accepted the request, which is exactly the case the retry key makes safe to retry.
 */
public final class LineTransportException extends Exception {
    public LineTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
