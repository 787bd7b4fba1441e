package io.connectorgateway.policy;

import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.event.EventFreshness;
import java.time.Duration;

/**
 * What the topology needs besides the topic catalogue. No threads, no client config.
 *
 * @param autoGrantTokenSecret secret for the friend-add URL tokens of auto-granted members (R9), at least 16 bytes
 * @param dedupRetention       how long event ids are remembered to absorb redeliveries and to find
 *                             an unsent message (stream time)
 * @param freshness            how old (by its own timestamp, against its record timestamp) an event
 *                             may be before it is refused as stale; must fit inside {@code dedupRetention}
 *                             (null: the default window, or half the memory when the memory is shorter)
 * @param auditKeys            the audit chain keys: records and checkpoints are signed with the active one
 * @param checkpointRecords    a tenant's chain is checkpointed at the latest after this many records
 * @param checkpointInterval   ... and within this much wall-clock time after its last record
 */
public record PolicyOptions(byte[] autoGrantTokenSecret, Duration dedupRetention, EventFreshness freshness,
                            AuditKeys auditKeys, int checkpointRecords, Duration checkpointInterval) {
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_CHECKPOINT_RECORDS = 1000;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    public PolicyOptions {
        if (autoGrantTokenSecret == null || autoGrantTokenSecret.length < 16) {
            throw new IllegalArgumentException("the auto-grant token secret needs at least 16 bytes");
        }
        autoGrantTokenSecret = autoGrantTokenSecret.clone();
        if (dedupRetention == null) {
            dedupRetention = DEFAULT_DEDUP_RETENTION;
        }
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("dedupRetention must be positive");
        }
        if (freshness == null) {
            // the default window, or half the memory when a shorter memory is configured
            freshness = EventFreshness.DEFAULT_MAX_AGE.plus(EventFreshness.DEFAULT_MAX_LEAD).compareTo(dedupRetention) < 0
                    ? EventFreshness.DEFAULT
                    : new EventFreshness(dedupRetention.dividedBy(2), dedupRetention.dividedBy(4));
        }
        freshness.requireWithin(dedupRetention, "POLICY_MAX_EVENT_AGE", "POLICY_MAX_EVENT_LEAD",
                "POLICY_DEDUP_RETENTION_HOURS");
        if (auditKeys == null) {
            throw new IllegalArgumentException("the audit chain keys are required (AUDIT_CHAIN_KEYS)");
        }
        if (checkpointRecords < 1) {
            throw new IllegalArgumentException("POLICY_CHECKPOINT_RECORDS must be at least 1");
        }
        if (checkpointInterval == null || checkpointInterval.toMillis() < 1) {
            throw new IllegalArgumentException("POLICY_CHECKPOINT_INTERVAL_MS must be at least 1");
        }
    }
}
