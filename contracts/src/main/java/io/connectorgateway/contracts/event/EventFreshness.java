package io.connectorgateway.contracts.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fresh an event must be to be judged (SPEC "Qualities": a signed event older than the
 * de-duplication memory, a replay of a captured webhook, is refused as stale). An event's own
 * {@code timestamp} is compared with a reference time: the gateway's clock when a webhook arrives,
 * the Kafka record timestamp in the policy stream (never the wall clock there, so a replay of the
 * topics decides the same, R11).
 *
 * <p>Why this closes the replay: an event id is remembered by the stream for the de-duplication
 * memory {@code D}, counted from the record time of its first copy, which is at least
 * {@code timestamp - maxLead}. A later copy is judged only while its reference time is at most
 * {@code timestamp + maxAge}, so it is still remembered (and absorbed as a duplicate) as long as
 * {@code maxAge + maxLead < D}: every copy is either a duplicate or stale, never a second decision.
 *
 * @param maxAge  the oldest an event may be: older is stale. Long enough for the platform's late
 *                redeliveries (LINE redelivers a webhook it could not deliver for a while; the default,
 *                {@link #DEFAULT_MAX_AGE}, also covers a gateway or Kafka outage of a long weekend)
 * @param maxLead how far an event may be stamped ahead of the reference time (clock skew between
 *                the platform and this side): further ahead is refused too, since a future stamp
 *                would otherwise stay "fresh" after its id is forgotten
 */
public record EventFreshness(Duration maxAge, Duration maxLead) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(72);
    public static final Duration DEFAULT_MAX_LEAD = Duration.ofMinutes(15);
    public static final EventFreshness DEFAULT = new EventFreshness(DEFAULT_MAX_AGE, DEFAULT_MAX_LEAD);
    /** The {@code rule} of the audit record of a stale refusal ({@code kind} {@code STALE}). */
    public static final String RULE = "FRESHNESS";

    public EventFreshness {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the maximum event age must be positive, got " + maxAge);
        }
        if (maxLead == null || maxLead.isNegative()) {
            throw new IllegalArgumentException("the maximum event lead must not be negative, got " + maxLead);
        }
    }

    /**
     * Checks that this window fits inside a de-duplication memory; see the class comment.
     *
     * @throws IllegalArgumentException naming the settings when it does not
     */
    public EventFreshness requireWithin(Duration dedupMemory, String ageSetting, String leadSetting, String memorySetting) {
        if (maxAge.plus(maxLead).compareTo(dedupMemory) >= 0) {
            throw new IllegalArgumentException(ageSetting + " (" + maxAge + ") plus " + leadSetting + " (" + maxLead
                    + ") must be shorter than the de-duplication memory " + memorySetting + " (" + dedupMemory
                    + "): otherwise an event replayed after its id is forgotten would be judged again");
        }
        return this;
    }

    /**
     * A duration setting: {@code 72h}, {@code 15m}, {@code 30s}, {@code 500ms}, {@code 3d}, or ISO-8601
     * ({@code PT72H}).
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static Duration duration(String setting, String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.regionMatches(true, 0, "P", 0, 1)) {
                return Duration.parse(t);
            }
            var m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)").matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        } catch (java.time.format.DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException(setting + " must be a duration such as 72h, 15m, 30s or PT72H, got '" + text + "'");
    }

    /**
     * Why the event is stale, or empty when it is fresh. Exactly {@code maxAge} old, or exactly
     * {@code maxLead} ahead, is still fresh.
     *
     * @param eventTimestamp the event's own timestamp, epoch ms
     * @param reference      the time it is judged against, epoch ms
     */
    public Optional<Stale> check(long eventTimestamp, long reference) {
        long age = reference - eventTimestamp;
        if (age > maxAge.toMillis()) {
            return Optional.of(new Stale(Stale.Why.TOO_OLD, age, "the event is stamped " + Instant.ofEpochMilli(eventTimestamp)
                    + ", " + Duration.ofMillis(age) + " before " + Instant.ofEpochMilli(reference) + "; events older than "
                    + maxAge + " are refused as stale (a replay of a captured event?)"));
        }
        if (-age > maxLead.toMillis()) {
            return Optional.of(new Stale(Stale.Why.AHEAD, age, "the event is stamped " + Instant.ofEpochMilli(eventTimestamp)
                    + ", " + Duration.ofMillis(-age) + " after " + Instant.ofEpochMilli(reference) + "; events stamped more than "
                    + maxLead + " ahead are refused (clock skew or a forged stamp)"));
        }
        return Optional.empty();
    }

    /**
     * A refusal.
     *
     * @param why     too old, or stamped too far ahead
     * @param ageMs   reference minus event timestamp (negative when ahead)
     * @param message what to tell the audit trail
     */
    public record Stale(Why why, long ageMs, String message) {
        public enum Why {
            TOO_OLD("older-than-window"),
            AHEAD("stamped-ahead");

            private final String tag;

            Why(String tag) {
                this.tag = tag;
            }

            /** For metrics and audit details. */
            public String tag() {
                return tag;
            }
        }
    }
}
