package io.connectorgateway.gateway.admin;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds and revokes admin credentials without a restart: every {@code gateway.admin.credential-reload}
 * (2 s) each instance reads the credentials file and, when its content changed, checks all of it
 * and puts it in force at once. A file that cannot be used (unreadable, missing, a bad line, an id
 * or hash twice) changes nothing: the last good set stays in force, the error is logged with the
 * line, and counted ({@code gateway_admin_credentials_reloads_total{outcome="refused"}}).
 *
 * <p>Each change (credential added, revoked, its role or tenant changed, its token rotated) is
 * audited by every instance that puts it in force: a {@code CREDENTIALS_CHANGED} record on
 * {@code connector.audit.intake}, in the credential's tenant's trail (operators': the platform audit
 * tenant), naming the instance. The new set is in force before the records are written: a
 * revocation never waits for Kafka; records Kafka did not take are retried on the next look.
 */
@Context
public final class CredentialsReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsReloader.class);

    private final AdminCredentials credentials;
    private final AdminConfig config;
    private final AdminWriter writer;
    private final String instance;
    private final Counter applied;
    private final Counter refused;
    private final AtomicLong lastApplied = new AtomicLong(System.currentTimeMillis());
    private final List<AuditRecord> pending = new ArrayList<>();
    private final ScheduledExecutorService timer;
    /** The file's content at the last look, and whether it was missing then: an unchanged file is not parsed again. */
    private byte[] lastSeen;
    private boolean lastMissing;
    private volatile String lastProblem;

    public CredentialsReloader(AdminCredentials credentials, AdminConfig config, AdminWriter writer, MeterRegistry meters) {
        this.credentials = credentials;
        this.config = config;
        this.writer = writer;
        this.instance = config.instanceId() != null ? config.instanceId() : "gateway-" + UUID.randomUUID();
        this.applied = Counter.builder("gateway.admin.credentials.reloads").tag("outcome", "applied")
                .description("credentials file changes put in force").register(meters);
        this.refused = Counter.builder("gateway.admin.credentials.reloads").tag("outcome", "refused")
                .description("credentials file contents refused (the last good set stays in force)").register(meters);
        Gauge.builder("gateway.admin.credentials.in.force", credentials, c -> c.entries().size())
                .description("admin credentials in force").register(meters);
        Gauge.builder("gateway.admin.credentials.last.applied", lastApplied, a -> a.get() / 1000.0)
                .description("epoch seconds of the last credentials set put in force").register(meters);
        Path file = config.credentialFile();
        if (file == null) {
            this.timer = null;
            return;
        }
        this.lastSeen = credentials.initialFile(); // in force since AdminCredentials was made
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-credential-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.credentialReload().toMillis();
        timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
        LOG.info("admin credentials: {} in force, watching {} every {} ms", credentials.entries().size(), file, every);
    }

    /** Why the file's current content is not in force; null when it is. */
    public String problem() {
        return lastProblem;
    }

    /** One look at the file; public for tests, which do not want to wait for the timer. */
    public synchronized void look() {
        try {
            Path file = config.credentialFile();
            byte[] now = read(file);
            boolean unchanged = now == null ? lastMissing : !lastMissing && java.util.Arrays.equals(now, lastSeen);
            if (!unchanged) {
                lastMissing = now == null;
                lastSeen = now;
                reload(file, now);
            }
            flushAudit();
        } catch (RuntimeException e) {
            LOG.error("admin credentials reload failed unexpectedly; the last good set stays in force", e);
        }
    }

    private void reload(Path file, byte[] content) {
        List<AdminCredentials.Entry> before = credentials.entries();
        try {
            if (content == null) {
                throw new IllegalArgumentException("credentials file " + file + " is missing or unreadable");
            }
            if (content.length > AdminCredentials.MAX_FILE_BYTES) {
                throw new IllegalArgumentException("credentials file " + file + " is larger than "
                        + AdminCredentials.MAX_FILE_BYTES + " bytes");
            }
            credentials.replaceFileEntries(AdminCredentials.parseFile(file.toString(), content));
        } catch (IllegalArgumentException e) {
            refused.increment();
            lastProblem = e.getMessage();
            LOG.error("admin credentials NOT reloaded, the last good set ({} credentials) stays in force: {}",
                    before.size(), lastProblem);
            return;
        }
        lastProblem = null;
        applied.increment();
        lastApplied.set(System.currentTimeMillis());
        List<AdminCredentials.Entry> after = credentials.entries();
        String fileHash = HexFormat.of().formatHex(AdminCredentials.sha256(content));
        int changes = 0;
        for (AdminCredentials.Entry b : before) {
            AdminCredentials.Entry a = find(after, b.id());
            if (a == null) {
                pending.add(record(b, "revoked", null, fileHash));
                changes++;
            } else if (!a.sameAs(b)) {
                String what = a.principal().equals(b.principal()) ? "token-rotated" : "changed";
                if (!a.principal().tenant().equals(b.principal().tenant())) {
                    pending.add(record(b, "revoked", a, fileHash)); // the old tenant's trail says it is gone
                    pending.add(record(a, "added", b, fileHash));
                } else {
                    pending.add(record(a, what, b, fileHash));
                }
                changes++;
            }
        }
        for (AdminCredentials.Entry a : after) {
            if (find(before, a.id()) == null) {
                pending.add(record(a, "added", null, fileHash));
                changes++;
            }
        }
        LOG.info("admin credentials reloaded from {}: {} in force, {} change(s)", file, after.size(), changes);
    }

    private static AdminCredentials.Entry find(List<AdminCredentials.Entry> entries, String id) {
        for (AdminCredentials.Entry e : entries) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    private AuditRecord record(AdminCredentials.Entry e, String change, AdminCredentials.Entry other, String fileHash) {
        AdminPrincipal p = e.principal();
        String tenant = p.operator() ? config.platformAuditTenant() : p.tenant();
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("credential", p.id());
        detail.put("change", change);
        detail.put("role", p.role().name());
        detail.put("credentialTenant", p.tenant());
        if (other != null && !other.principal().equals(p)) {
            detail.put("previously", other.principal().role() + " of " + other.principal().tenant());
        }
        detail.put("instance", instance);
        detail.put("file", String.valueOf(config.credentialFile()));
        detail.put("fileSha256", fileHash);
        String id = "credentials-changed:" + UUID.randomUUID();
        return AuditRecord.builder(id, tenant, AuditKind.CREDENTIALS_CHANGED, "R10")
                .reason("admin credential '" + p.id() + "' " + change + " (" + p.role() + "), in force on " + instance)
                .at(System.currentTimeMillis()).cause(id).actor(Actor.system("gateway-admin:" + instance)).detail(detail)
                .build();
    }

    private void flushAudit() {
        if (pending.isEmpty()) {
            return;
        }
        AdminWriter.Batch batch = writer.batch();
        pending.forEach(batch::audit);
        try {
            writer.write(batch);
            pending.clear();
        } catch (ApiException e) {
            LOG.warn("{} credentials audit record(s) not written yet, retried on the next look: {}", pending.size(),
                    e.getMessage());
        }
    }

    /** The file's bytes (one byte more than the limit at most), or null when it is missing or unreadable. */
    private static byte[] read(Path file) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(AdminCredentials.MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            return null;
        }
    }

    @PreDestroy
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
