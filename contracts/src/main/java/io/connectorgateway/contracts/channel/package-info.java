/**
 * The channel registry on {@code connector.channels}: who is behind each LINE channel and WORKS
 * bot ({@link io.connectorgateway.contracts.channel.ChannelBinding}), with its secrets sealed
 * under a key-encryption key from the environment ({@link io.connectorgateway.contracts.channel.ChannelSealer}).
 */
package io.connectorgateway.contracts.channel;
