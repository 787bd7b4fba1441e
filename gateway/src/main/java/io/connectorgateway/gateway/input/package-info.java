/**
 * Reading untrusted request bodies, shared by the webhook ingress and the admin API: strict UTF-8
 * before any parsing, and parser errors turned into messages a client can act on without learning
 * anything about the implementation (no class names, no parser feature names).
 */
package io.connectorgateway.gateway.input;
