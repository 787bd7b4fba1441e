/**
 * The channel registry as data: the key-encryption keys ({@link io.connectorgateway.gateway.channel.ChannelKeys}),
 * the webhook lookup from the tenant's view ({@link io.connectorgateway.gateway.channel.ChannelDirectory})
 * and the tenant-scoped webhook URLs ({@link io.connectorgateway.gateway.channel.TenantWebhookController}).
 */
package io.connectorgateway.gateway.channel;
