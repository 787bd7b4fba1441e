package io.connectorgateway.cli;

import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code audit verify}: reads {@code connector.audit.checkpoints} and {@code connector.audit} from
 * Kafka (not through the HTTP API: it is an integrity check of the stream itself) with the audit
 * chain keys ({@code AUDIT_CHAIN_KEYS} or {@code AUDIT_CHAIN_KEYS_FILE}) and reports the first
 * break of every chain: rewritten, inserted or deleted records, and tails cut off after a
 * checkpoint. Exit 0 when intact, {@value AdminCli#CHAIN_BROKEN} when something is broken,
 * {@value AdminCli#USAGE} without keys.
 */
@Command(name = "verify", description = "Verify the keyed, checkpointed audit chain of connector.audit (reads Kafka directly; "
        + "needs AUDIT_CHAIN_KEYS or AUDIT_CHAIN_KEYS_FILE).")
final class AuditVerifyCommand implements Callable<Integer> {
    @ParentCommand
    AuditCommand parent;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS or localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", description = "topic name prefix (default: CONNECTOR_TOPIC_PREFIX or none)")
    String topicPrefix;

    @Option(names = "--checkpoint-grace-seconds", defaultValue = "600", description = "records after a chain's last "
            + "checkpoint older than this are flagged: the writer checkpoints within seconds (default: ${DEFAULT-VALUE})")
    long graceSeconds;

    @Option(names = "--require-checkpoints", description = "count flagged records (older than the grace and covered by no "
            + "checkpoint, e.g. because checkpoints were removed) as a break")
    boolean requireCheckpoints;

    @Override
    public Integer call() {
        AdminCli cli = (AdminCli) parent.spec.root().userObject();
        Map<String, String> env = new HashMap<>(cli.env);
        if (bootstrap != null) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        }
        if (topicPrefix != null) {
            env.put("CONNECTOR_TOPIC_PREFIX", topicPrefix);
        }
        AuditKeys keys;
        try {
            keys = AuditKeys.fromEnvironment(env, "audit verify");
        } catch (IllegalArgumentException e) {
            cli.err.println("error: " + e.getMessage());
            return AdminCli.USAGE;
        }
        KafkaEnvironment kafka = KafkaEnvironment.fromEnvironment(env);
        Map<String, Object> config = kafka.clientConfig();
        config.put("request.timeout.ms", 15_000);
        config.put("default.api.timeout.ms", 30_000);
        cli.err.println("verifying " + kafka.topics().audit.name() + " and " + kafka.topics().auditCheckpoints.name() + " on "
                + kafka.bootstrapServers() + " with key ids " + keys.ids() + " ...");
        AuditChainVerifier.Report report = AuditChainVerifier.verify(config, kafka.topics(), keys,
                n -> cli.err.printf("  %,d records read%n", n));
        cli.out.printf("%,d records, %d chains (one per tenant and writer), %,d checkpoints%n", report.records(),
                report.tenants(), report.checkpoints());
        report.unkeyedByChain().forEach((chain, n) -> cli.out.printf(
                "UNKEYED %s: %,d records of an earlier release, plain SHA-256 (verified, but whoever could write the topic "
                        + "could have rewritten them consistently)%n", chain, n));
        long now = System.currentTimeMillis();
        int flagged = 0;
        for (var e : report.uncoveredByChain().entrySet()) {
            AuditChainVerifier.Uncovered u = e.getValue();
            boolean old = now - u.oldestTimestamp() > Duration.ofSeconds(graceSeconds).toMillis();
            String last = u.lastCheckpointAt() < 0 ? "no checkpoint" : "last checkpoint " + Instant.ofEpochMilli(u.lastCheckpointAt());
            if (old) {
                flagged++;
                cli.out.printf("UNCHECKPOINTED %s: %,d records after the last checkpoint, the oldest from %s (%s), older than "
                                + "%d s: checkpoints were removed, or the policy stream has not run since%n", e.getKey(),
                        u.records(), Instant.ofEpochMilli(u.oldestTimestamp()), last, graceSeconds);
            } else {
                cli.out.printf("%s: %,d recent records after the last checkpoint (%s); a cut-off among them would not "
                        + "show until the next checkpoint%n", e.getKey(), u.records(), last);
            }
        }
        boolean broken = !report.intact() || (requireCheckpoints && flagged > 0);
        if (!broken) {
            cli.out.println("chain intact");
            return AdminCli.OK;
        }
        report.firstBreakByTenant().forEach((chain, b) -> cli.out.printf(
                "BROKEN tenant %s%s (%s): %s%n", chain, b.partition() < 0 ? "" : " at partition " + b.partition() + " offset "
                        + b.offset(), b.auditId(), b.problem()));
        if (report.unreadable() > 0) {
            cli.out.printf("%d unreadable records%n", report.unreadable());
        }
        return AdminCli.CHAIN_BROKEN;
    }
}
