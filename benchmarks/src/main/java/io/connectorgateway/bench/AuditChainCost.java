package io.connectorgateway.bench;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditChain;
import io.connectorgateway.contracts.audit.AuditCheckpoint;
import io.connectorgateway.contracts.audit.AuditKeys;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.audit.AuditRecord;
import java.util.List;
import java.util.Map;

/**
 * What linking one audit record costs, unkeyed (SHA-256, earlier releases) against keyed
 * (HMAC-SHA256 under a key id), and what a signed checkpoint costs: a timed loop on one thread over
 * typical decision records (canonical JSON included, as the policy task pays it), printed per record.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp -Dmdep.includeScope=runtime
 * java -cp benchmarks/target/classes:$(cat /tmp/bench.cp) io.connectorgateway.bench.AuditChainCost 200000
 * </pre>
 */
public final class AuditChainCost {
    private AuditChainCost() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        AuditKeys keys = AuditKeys.parse(AuditKeys.generate("bench"), null);
        AuditRecord[] records = new AuditRecord[1024];
        for (int i = 0; i < records.length; i++) {
            records[i] = AuditRecord.builder("DELIVERED:evt-" + i, "acme", AuditKind.DELIVERED, "R5b")
                    .connector(Connector.LINE).reason("delivered inside open room rm-0123456789abcdef").settingsVersion(7L)
                    .at(1_760_000_000_000L + i).cause("evt-" + i).room("rm-0123456789abcdef").member("member-" + (i % 50))
                    .externalUser("U" + "0123456789abcdef".repeat(2)).direction(Direction.INBOUND)
                    .actor(new Actor("U" + i, Actor.Role.EXTERNAL_USER)).contentDigest("ab".repeat(32))
                    .attachmentKinds(List.of("IMAGE")).detail(Map.of("eventType", "MESSAGE"))
                    .build();
        }
        for (int round = 0; round < 3; round++) { // rounds 1-2 warm the JIT; the last is reported
            long unkeyed = time(n, records, (prev, r) -> AuditChain.linkUnkeyed("connector-policy", prev, r).hash());
            long keyed = time(n, records, (prev, r) -> AuditChain.link("connector-policy", prev, r, keys).hash());
            long cp = time(n, records, (prev, r) -> AuditCheckpoint.sign("acme", "connector-policy", AuditChain.GENESIS,
                    prev == null ? AuditChain.GENESIS : prev, 1_000, 1_760_000_000_000L, keys).mac());
            if (round == 2) {
                System.out.printf("audit chain, %,d records, one thread:%n", n);
                System.out.printf("  unkeyed link (SHA-256, earlier releases) %8.2f us/record%n", unkeyed / 1_000.0 / n);
                System.out.printf("  keyed link (HMAC-SHA256)                 %8.2f us/record (%+.0f%%)%n", keyed / 1_000.0 / n,
                        100.0 * (keyed - unkeyed) / unkeyed);
                System.out.printf("  signed checkpoint                        %8.2f us each; at 1 per 1,000 records "
                        + "%.4f us/record%n", cp / 1_000.0 / n, cp / 1_000.0 / n / 1_000);
            }
        }
    }

    private interface Link {
        String apply(String prev, AuditRecord r);
    }

    private static long time(int n, AuditRecord[] records, Link link) {
        String prev = null;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            prev = link.apply(prev, records[i & (records.length - 1)]);
        }
        long elapsed = System.nanoTime() - start;
        if (prev == null) {
            throw new IllegalStateException("nothing linked");
        }
        return elapsed;
    }
}
