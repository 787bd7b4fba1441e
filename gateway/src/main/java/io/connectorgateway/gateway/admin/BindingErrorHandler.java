package io.connectorgateway.gateway.admin;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A query parameter Micronaut cannot convert ({@code limit=abc}, {@code waitSeconds=1.5}) is a 400
 * in the admin API's one error shape, naming the parameter, instead of Micronaut's own error body
 * (which quotes the converter's message).
 */
@Produces
@Singleton
@Replaces(ConversionErrorHandler.class)
@Requires(classes = {ConversionErrorException.class, ExceptionHandler.class})
public final class BindingErrorHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConversionErrorException e) {
        Class<?> type = e.getArgument().getType();
        String expected = type == Integer.class || type == int.class || type == Long.class || type == long.class
                ? " (a whole number)" : type == Boolean.class || type == boolean.class ? " (true or false)" : "";
        ApiException api = ApiException.badRequest("parameter '" + e.getArgument().getName() + "' has an invalid value" + expected);
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON_TYPE).body(ApiExceptionHandler.body(api));
    }
}
