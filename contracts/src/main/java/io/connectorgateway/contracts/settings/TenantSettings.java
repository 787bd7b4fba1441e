package io.connectorgateway.contracts.settings;

import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Ids;
import io.connectorgateway.contracts.Plan;

/**
 * One row of {@code connector.settings} (compacted, key {@code tenant:connector}): everything an
 * admin decides for one connector of one tenant, versioned.
 *
 * <p>The constructor checks the shape; {@link SettingsRules} checks the product rules (R1, R7,
 * R8, R9) so the admin API can name the rule that a change breaks.
 *
 * @param schemaVersion       record schema version
 * @param tenant              the tenant
 * @param connector           LINE or WORKS
 * @param version             1, 2, 3, ... per key; every decision names the version it used
 * @param plan                the tenant's plan (the same on both connector rows)
 * @param enabled             connector on or off
 * @param permissionMode      ALL_MEMBERS or BY_MEMBER
 * @param autoGrantNewMembers add joining members to the list (only in BY_MEMBER)
 * @param greeting            LINE auto greeting (off when null)
 * @param attachments         attachment restriction (off when null)
 * @param change              who made this version and why
 */
public record TenantSettings(
        int schemaVersion,
        String tenant,
        Connector connector,
        long version,
        Plan plan,
        boolean enabled,
        PermissionMode permissionMode,
        boolean autoGrantNewMembers,
        Greeting greeting,
        AttachmentRestriction attachments,
        Change change) {

    public static final int SCHEMA_VERSION = 1;

    public TenantSettings {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION;
        }
        if (schemaVersion < 0 || schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported settings schemaVersion " + schemaVersion);
        }
        Ids.require("tenant", tenant);
        if (connector == null) {
            throw new IllegalArgumentException("connector is required (LINE or WORKS)");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if (plan == null) {
            throw new IllegalArgumentException("plan is required (FREE, LITE, BASIC or ADVANCED)");
        }
        if (permissionMode == null) {
            permissionMode = PermissionMode.ALL_MEMBERS;
        }
        if (greeting == null) {
            greeting = Greeting.off();
        }
        if (attachments == null) {
            attachments = AttachmentRestriction.off();
        }
    }

    /**
     * What a tenant x connector has before any admin wrote a row: off, version 0. The stream uses
     * this for events of unknown tenants, so they are refused under R2 rather than crashing.
     */
    public static TenantSettings absent(String tenant, Connector connector) {
        return new TenantSettings(SCHEMA_VERSION, tenant, connector, 0, Plan.FREE, false, PermissionMode.ALL_MEMBERS,
                false, Greeting.off(), AttachmentRestriction.off(), null);
    }

    /** Whether the connector is really on: enabled and the plan allows it (R1, R2). */
    public boolean effectivelyEnabled() {
        return enabled && plan.allowsConnectors();
    }

    public String key() {
        return Ids.settingsKey(tenant, connector);
    }

    public TenantSettings withVersion(long newVersion, Change newChange) {
        return new TenantSettings(schemaVersion, tenant, connector, newVersion, plan, enabled, permissionMode,
                autoGrantNewMembers, greeting, attachments, newChange);
    }
}
