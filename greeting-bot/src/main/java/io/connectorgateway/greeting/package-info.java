/**
 * The greeting bot (SPEC R7): one greeting per accepted LINE friend-add, also across crashes,
 * restarts and retries.
 *
 * <ul>
 *   <li>{@code line}: the LINE Messaging API as the bot uses it (push, profile, retry key).</li>
 *   <li>{@code send}: turning a command into messages and sending it: placeholders, retries with
 *       backoff, rate limit per channel, channel tokens, member names.</li>
 *   <li>{@code consume}: the Kafka side: per-tenant lanes, and outcomes recorded (audit, dead
 *       letter) in one transaction with the consumer offsets.</li>
 *   <li>{@code health}: health and metrics server.</li>
 *   <li>{@code standin}: a local LINE stand-in for tests and the local stack.</li>
 * </ul>
 */
package io.connectorgateway.greeting;
