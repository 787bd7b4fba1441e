package io.connectorgateway.policy;

import java.time.Duration;

/**
 * What the topology needs besides the topic catalogue. No threads, no client config.
 *
 * @param autoGrantTokenSecret secret for the friend-add URL tokens of auto-granted members (R9), at least 16 bytes
 * @param dedupRetention       how long event ids are remembered to absorb redeliveries and to find
 *                             an unsent message (stream time)
 */
public record PolicyOptions(byte[] autoGrantTokenSecret, Duration dedupRetention) {
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
    }

    public static PolicyOptions withSecret(byte[] secret) {
        return new PolicyOptions(secret, DEFAULT_DEDUP_RETENTION);
    }
}
