package io.connectorgateway.gateway.webhook;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the registry eagerly, so a broken entry fails startup rather than the first webhook. */
@Factory
class RegistryFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFactory.class);

    @Context
    Registry registry(Environment environment) {
        Registry r = Registry.fromConfiguration(environment);
        LOG.info("webhook registry: {} LINE channel(s), {} WORKS bot(s)", r.lineChannels(), r.worksBots());
        return r;
    }
}
