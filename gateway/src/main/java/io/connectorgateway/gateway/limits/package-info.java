/** Rate limits of the admin API (per tenant) and the webhooks (per channel or bot), with Bucket4j. */
package io.connectorgateway.gateway.limits;
