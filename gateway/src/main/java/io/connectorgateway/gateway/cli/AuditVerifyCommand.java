package io.connectorgateway.gateway.cli;

import io.connectorgateway.contracts.audit.AuditChainVerifier;
import io.connectorgateway.contracts.config.KafkaEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code audit verify}: reads {@code connector.audit} from Kafka (not through the HTTP API: it is
 * an integrity check of the stream itself) and reports the first broken link of every tenant's
 * hash chain. Exit 0 when intact, {@value AdminCli#CHAIN_BROKEN} when a link is broken.
 */
@Command(name = "verify", description = "Verify the tamper-evident hash chain of connector.audit (reads Kafka directly).")
final class AuditVerifyCommand implements Callable<Integer> {
    @ParentCommand
    AuditCommand parent;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS or localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", description = "topic name prefix (default: CONNECTOR_TOPIC_PREFIX or none)")
    String topicPrefix;

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
        KafkaEnvironment kafka = KafkaEnvironment.fromEnvironment(env);
        var topic = kafka.topics().audit;
        Map<String, Object> config = kafka.clientConfig();
        config.put("request.timeout.ms", 15_000);
        config.put("default.api.timeout.ms", 30_000);
        cli.err.println("verifying " + topic.name() + " on " + kafka.bootstrapServers() + " ...");
        AuditChainVerifier.Report report = AuditChainVerifier.verify(config, topic.name(),
                topic.valueSerde().deserializer(), n -> cli.err.printf("  %,d records read%n", n));
        cli.out.printf("%,d records, %d chains (one per tenant and writer)%n", report.records(), report.tenants());
        if (report.intact()) {
            cli.out.println("chain intact");
            return AdminCli.OK;
        }
        report.firstBreakByTenant().forEach((chain, b) -> cli.out.printf(
                "BROKEN tenant %s at partition %d offset %d (%s): %s%n", chain, b.partition(), b.offset(), b.auditId(), b.problem()));
        if (report.unreadable() > 0) {
            cli.out.printf("%d unreadable records%n", report.unreadable());
        }
        return AdminCli.CHAIN_BROKEN;
    }
}
