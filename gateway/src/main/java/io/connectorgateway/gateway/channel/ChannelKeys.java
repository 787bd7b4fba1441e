package io.connectorgateway.gateway.channel;

import io.connectorgateway.contracts.channel.ChannelKeyCheck;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import io.connectorgateway.gateway.kafka.CatalogueTopics;
import io.connectorgateway.gateway.kafka.GatewayKafkaConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-encryption keys of the channel registry, from {@code gateway.channels.keys}
 * ({@value ChannelSealer#ENV} in the environment). Built eagerly: without keys, or with keys that
 * do not open what is on {@code connector.channels}, the gateway refuses to start, naming what is
 * missing.
 */
@Factory
class ChannelKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelKeys.class);

    @Context
    ChannelSealer sealer(@Value("${gateway.channels.keys:}") String keys, KafkaEnvironment kafka, GatewayKafkaConfig config,
                         Optional<CatalogueTopics> topicsCreatedFirst) {
        ChannelSealer sealer = ChannelSealer.fromKeys(keys);
        ChannelKeyCheck.verify(sealer, kafka.topics(), kafka.clientConfig(), config.startupTimeout());
        LOG.info("channel registry keys ready: sealing under {}", sealer.primaryKeyId());
        return sealer;
    }
}
