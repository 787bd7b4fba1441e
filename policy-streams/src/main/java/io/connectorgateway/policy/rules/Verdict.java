package io.connectorgateway.policy.rules;

import io.connectorgateway.contracts.audit.AuditKind;

/**
 * What a rule decided and why: the value every audit record is made from (SPEC R10).
 *
 * @param kind            what was decided
 * @param rule            the SPEC rule that decided it (R1 ... R11)
 * @param reason          why, for a person
 * @param settingsVersion the settings version the decision used
 */
public record Verdict(AuditKind kind, String rule, String reason, long settingsVersion) {
    public static Verdict refused(String rule, String reason, long settingsVersion) {
        return new Verdict(AuditKind.REFUSED, rule, reason, settingsVersion);
    }
}
