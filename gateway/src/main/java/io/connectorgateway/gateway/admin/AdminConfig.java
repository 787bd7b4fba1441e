package io.connectorgateway.gateway.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings producer configuration, prefix {@code gateway.admin} (environment variables
 * {@code GATEWAY_ADMIN_*}). Every value has a default except the credentials: without any, every
 * call is refused with 401.
 *
 * @param friendUrlBase         public base of the friend-add URLs shown to admins: {@code <base>/friend/<token>}
 * @param credentials           {@code id:ROLE:tenant:sha256hex} entries (ROLE TENANT_ADMIN or OPERATOR, tenant
 *                              {@code *} for operators); the hash is the SHA-256 of the bearer token
 * @param readYourWritesTimeout how long a write waits for its own record to reach the local view
 * @param maxBatch              most members one request may add, remove or reset
 * @param instanceId            this instance's name (transactional id suffix); random when unset
 * @param credentialFile       a file of further credentials, one entry a line, re-read while running
 *                              ({@link CredentialsReloader}); none when unset
 * @param credentialReload     how often the credentials file is looked at
 * @param platformAuditTenant   the audit trail that records changes of operator credentials (they
 *                              belong to no tenant); must not be a customer's tenant id
 */
@ConfigurationProperties("gateway.admin")
public record AdminConfig(
        @Bindable(defaultValue = "http://localhost:8080") String friendUrlBase,
        @Nullable List<String> credentials,
        @Bindable(defaultValue = "15s") Duration readYourWritesTimeout,
        @Bindable(defaultValue = "1000") int maxBatch,
        @Nullable String instanceId,
        @Nullable Path credentialFile,
        @Bindable(defaultValue = "2s") Duration credentialReload,
        @Bindable(defaultValue = "_platform") String platformAuditTenant) {

    public AdminConfig {
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        if (credentialReload.isNegative() || credentialReload.isZero()) {
            throw new IllegalArgumentException("gateway.admin.credential-reload must be positive");
        }
        io.connectorgateway.contracts.Ids.require("gateway.admin.platform-audit-tenant", platformAuditTenant);
        if (friendUrlBase.endsWith("/")) {
            friendUrlBase = friendUrlBase.substring(0, friendUrlBase.length() - 1);
        }
    }
}
