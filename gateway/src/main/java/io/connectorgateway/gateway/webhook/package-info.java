/**
 * Webhook ingress shared by both platforms: the registry of channels and bots with their
 * secrets, signature checking, and {@link io.connectorgateway.gateway.webhook.WebhookIngress}, the
 * one path every request takes (size, content type, signature, JSON, translation, Kafka).
 * Platform specifics live in {@code webhook.line} and {@code webhook.works}.
 */
package io.connectorgateway.gateway.webhook;
