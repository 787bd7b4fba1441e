package io.connectorgateway.gateway.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.Map;

/**
 * A tenant route written as carelessly as possible (test sources only): no {@link AdminAccess}, no
 * tenant check, its tenant variable not even called {@code tenant}. {@link AuthorizationBrokerTest}
 * finds it among the registered routes like every other and proves the filter closes it: only
 * operators reach it, and no credential of another tenant does.
 */
@Controller("/admin/v1/tenants/{owner}/probe")
final class UnprotectedProbeController {
    @Get("/{thing}")
    Map<String, String> read(@PathVariable String owner, @PathVariable String thing) {
        return Map.of("owner", owner, "thing", thing);
    }
}
