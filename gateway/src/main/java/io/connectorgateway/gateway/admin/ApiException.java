package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.settings.SettingsRules;
import java.util.List;

/**
 * A refusal with the HTTP status and the JSON error body the admin API answers with. Services
 * throw it; {@link ApiExceptionHandler} renders it, so every error has the same shape:
 * {@code {"status", "error", "message", "violations": [{rule, field, message}], "currentVersion"}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final List<SettingsRules.Violation> violations;
    private final Long currentVersion;
    private final long retryAfterSeconds;

    public ApiException(int status, String error, String message, List<SettingsRules.Violation> violations,
                        Long currentVersion) {
        this(status, error, message, violations, currentVersion, status == 503 ? 1 : 0);
    }

    private ApiException(int status, String error, String message, List<SettingsRules.Violation> violations,
                         Long currentVersion, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.error = error;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
        this.currentVersion = currentVersion;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message, null, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null, null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "payload-too-large", message, null, null);
    }

    public static ApiException conflict(String message, long currentVersion) {
        return new ApiException(409, "conflict", message, null, currentVersion);
    }

    public static ApiException versionRequired(String message) {
        return new ApiException(428, "version-required", message, null, null);
    }

    public static ApiException invalid(List<SettingsRules.Violation> violations) {
        return new ApiException(422, "validation", "the change breaks " + violations.size() + " rule(s): "
                + violations.get(0), violations, null);
    }

    public static ApiException invalid(String rule, String field, String message) {
        return invalid(List.of(new SettingsRules.Violation(rule, field, message)));
    }

    /** 429: the tenant's admin rate limit; {@code Retry-After} says when a call goes through again. */
    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(429, "rate-limited", message, null, null, Math.max(1, retryAfterSeconds));
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, null, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public List<SettingsRules.Violation> violations() {
        return violations;
    }

    public Long currentVersion() {
        return currentVersion;
    }

    /** Seconds for {@code Retry-After} (503: 1, 429: until the rate limit lets a call through); 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
