package io.connectorgateway.local;

import io.connectorgateway.contracts.audit.AuditKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The demo's secrets: made at random on the first start and kept in the data directory (never in
 * code), so that a restart keeps working with the webhook examples and tokens printed before.
 *
 * @param lineChannelSecret  LINE channel secret of every demo channel (signs webhooks)
 * @param worksBotSecret     LINE WORKS bot secret (signs callbacks)
 * @param tenantAdminToken   bearer token of the demo tenant's admin
 * @param operatorToken      bearer token of the operator (plan changes)
 * @param auditorToken       bearer token of the demo tenant's auditor (audit search and tail)
 * @param channelAccessToken base of the demo LINE channels' access tokens ({@link #lineAccessToken}), registered
 *                           with each channel: the greeting bot pushes with the token of the channel followed
 * @param policyTokenSecret  secret the policy stream derives auto-grant URL tokens from
 * @param auditChainKeysFile file holding the audit chain key ({@code AUDIT_CHAIN_KEYS_FILE}: the policy
 *                           signs with it, {@code audit verify} checks with it), generated on first start
 * @param channelKeys        CONNECTOR_CHANNEL_KEYS: the key-encryption key channel secrets are sealed under
 */
record LocalSecrets(String lineChannelSecret, String worksBotSecret, String tenantAdminToken, String operatorToken,
                    String channelAccessToken, String policyTokenSecret, String auditorToken, Path auditChainKeysFile,
                    String channelKeys) {

    /** The access token registered for a member's demo channel (one per channel, as on LINE). */
    String lineAccessToken(String member) {
        return channelAccessToken + "-" + member;
    }

    static LocalSecrets loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        boolean changed = false;
        for (String key : new String[] {"line.channel.secret", "works.bot.secret", "admin.token", "operator.token",
                "line.channel.access.token", "policy.token.secret", "auditor.token"}) {
            if (p.getProperty(key) == null) {
                p.setProperty(key, random());
                changed = true;
            }
        }
        if (p.getProperty("channel.keys") == null) {
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            p.setProperty("channel.keys", "local1:" + java.util.Base64.getEncoder().encodeToString(kek));
            changed = true;
        }
        if (changed) {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "local-stack demo secrets (generated; delete the data directory to start afresh)");
            }
        }
        return new LocalSecrets(p.getProperty("line.channel.secret"), p.getProperty("works.bot.secret"),
                p.getProperty("admin.token"), p.getProperty("operator.token"), p.getProperty("line.channel.access.token"),
                p.getProperty("policy.token.secret"), p.getProperty("auditor.token"),
                auditChainKeys(file.resolveSibling("audit-chain.keys")), p.getProperty("channel.keys"));
    }

    /** The audit chain key file, made on first start (kept: records signed with it stay verifiable). */
    private static Path auditChainKeys(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, AuditKeys.generate("local-1") + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions apply
            }
        }
        return file.toAbsolutePath();
    }

    private static String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
