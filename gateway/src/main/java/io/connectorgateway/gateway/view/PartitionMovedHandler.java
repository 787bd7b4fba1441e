package io.connectorgateway.gateway.view;

import io.connectorgateway.gateway.admin.ApiException;
import io.connectorgateway.gateway.admin.ApiExceptionHandler;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A store that stops being queryable in the middle of a request (its partition was just moved to
 * another instance, or is being restored) is a 503 with {@code Retry-After}, in the admin API's
 * error shape: the retry is routed to the new owner.
 */
@Produces
@Singleton
public final class PartitionMovedHandler
        implements ExceptionHandler<org.apache.kafka.streams.errors.InvalidStateStoreException, HttpResponse<?>> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionMovedHandler.class);
    private final ApiExceptionHandler render;

    public PartitionMovedHandler(ApiExceptionHandler render) {
        this.render = render;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, org.apache.kafka.streams.errors.InvalidStateStoreException e) {
        LOG.info("{} {}: the store is not queryable here: {}", request.getMethodName(), request.getPath(), e.getMessage());
        return render.handle(request, ApiException.unavailable("this tenant's partition moved to another gateway "
                + "instance while the request ran; retry shortly"));
    }
}
