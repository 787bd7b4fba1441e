package io.connectorgateway.gateway.input;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line: an exception nothing else handled is a bug, answered 500 with a reference to
 * the log line, and nothing of the exception. Micronaut's default answer quotes the exception's
 * message ("Cannot invoke \"io.connectorgateway...\" because ..."), which shows class and method
 * names to whoever sent the request. Exceptions with their own handler (the admin API's errors,
 * Micronaut's 4xx) are closer matches and keep it.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public final class UnexpectedErrorHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, RuntimeException e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("{} {} failed (reference {})", request.getMethod(), request.getPath(), reference, e);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 500);
        body.put("error", "internal");
        body.put("message", "internal error; the gateway's log has the details under reference " + reference);
        return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }
}
