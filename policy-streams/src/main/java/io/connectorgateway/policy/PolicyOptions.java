package io.connectorgateway.policy;

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
 */
public record PolicyOptions(byte[] autoGrantTokenSecret, Duration dedupRetention, EventFreshness freshness) {
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);

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
    }

    /** With the default freshness window. */
    public PolicyOptions(byte[] autoGrantTokenSecret, Duration dedupRetention) {
        this(autoGrantTokenSecret, dedupRetention, null);
    }

    public static PolicyOptions withSecret(byte[] secret) {
        return new PolicyOptions(secret, DEFAULT_DEDUP_RETENTION);
    }
}
