package io.connectorgateway.bench;

import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark 1: the same pre-loaded mix drained by (a) the copy loop, (b) the identity Streams app,
 * (c) the policy service and (b') the identity app writing as many records per event as (c), one
 * after the other, each in its own JVM. Returns (c)'s drain rate,
 * which sets the rates of the latency benchmark.
 */
final class StreamThroughput {
    static final String NAME = "1 throughput";
    static final String PREFIX = "bench1.";
    private static final int MAX_IDENTITY_OUTPUTS = 8;

    private final Bench bench;

    StreamThroughput(Bench bench) {
        this.bench = bench;
    }

    /** The policy child, still running (it holds the open rooms the latency benchmark talks in), and its rate. */
    record Outcome(ChildJvm policy, double policyEventsPerSecond, Topics topics, EventMix mix) {
    }

    Outcome run() throws Exception {
        Profile p = bench.profile;
        EventMix mix = new EventMix(p.tenants(), p.membersPerTenant(), p.usersPerMember());
        Topics topics = Bench.topics(PREFIX);
        List<ConnectorEvent> events = mix.events(p.messages(), 42);
        try (var admin = bench.admin(); var producer = bench.loader()) {
            List<String> identityOuts = java.util.stream.IntStream.rangeClosed(1, MAX_IDENTITY_OUTPUTS)
                    .mapToObj(i -> PREFIX + "identity.out" + i).toList();
            List<String> created = new java.util.ArrayList<>(List.of(PREFIX + "copy.out"));
            created.addAll(identityOuts);
            bench.createTopics(admin, topics, created.toArray(String[]::new));
            long t0 = System.nanoTime();
            bench.load(producer, topics.settings, mix.settings(), TenantSettings::key);
            bench.load(producer, topics.members, mix.members(), ConnectedMember::key);
            // A few settings changes in the middle of the traffic, as in production: the policy
            // must apply them to every partition (the baselines just see the events).
            int half = events.size() / 2;
            bench.load(producer, topics.lineEvents, events.subList(0, half), ConnectorEvent::pairKey);
            bench.load(producer, topics.settings, mix.settingsChanges(5), TenantSettings::key);
            bench.load(producer, topics.lineEvents, events.subList(half, events.size()), ConnectorEvent::pairKey);
            System.out.printf("  pre-loaded %,d events (%,d friend-adds, %,d messages) in %.1f s%n", events.size(),
                    mix.rooms(), p.messages(), (System.nanoTime() - t0) / 1e9);
            String in = topics.lineEvents.name();
            Duration limit = Duration.ofMinutes(10);

            Drain.Measurement a;
            try (ChildJvm copy = bench.startCopyLoop("copy-loop", in, PREFIX + "copy.out", "bench1-copy")) {
                a = Drain.await(admin, in, "bench1-copy", copy, limit);
            }
            report("(a) transactional copy loop", a, "raw bytes, no parsing; commits every 100 ms");
            Drain.Measurement b;
            try (ChildJvm identity = bench.startIdentity("identity", in, identityOuts.subList(0, 2), "bench1-identity")) {
                b = Drain.await(admin, in, "bench1-identity", identity, limit);
            }
            report("(b) identity Streams app, EOS v2, 2 outputs", b, "commit.interval.ms=" + Bench.COMMIT_INTERVAL_MS);
            ChildJvm policy = bench.startPolicy("policy-1", topics, "bench1-policy", true);
            Drain.Measurement c = Drain.await(admin, in, "bench1-policy", policy, limit);
            report("(c) policy-streams", c, "commit.interval.ms=" + Bench.COMMIT_INTERVAL_MS
                    + "; decision, audit, history per message");
            // (b'): the identity app again, writing as many records per event as (c) did (its extra
            // offsets beyond the identity app's own transaction overhead), so c/b' shows the cost of
            // the policy's work itself rather than of the records it writes.
            int outputs = (int) Math.max(2, Math.min(MAX_IDENTITY_OUTPUTS,
                    Math.round(c.writtenPerEvent() - (b.writtenPerEvent() - 2))));
            Drain.Measurement b2;
            try (ChildJvm identity = bench.startIdentity("identity-wide", in, identityOuts.subList(0, outputs),
                    "bench1-identity-wide")) {
                b2 = Drain.await(admin, in, "bench1-identity-wide", identity, limit);
            }
            report("(b') identity Streams app, EOS v2, " + outputs + " outputs", b2,
                    "as many records per event as (c) writes");
            bench.record(NAME, "ratio c/b", "events/s", c.eventsPerSecond() / b.eventsPerSecond(), "x", "target >= 0.50");
            bench.record(NAME, "ratio c/b'", "events/s", c.eventsPerSecond() / b2.eventsPerSecond(), "x", "target >= 0.80");
            bench.record(NAME, "ratio c/a", "events/s", c.eventsPerSecond() / a.eventsPerSecond(), "x", "");
            bench.record("7 memory", "(a) copy loop, during 1", "peak RSS", a.peakRssMib(), "MiB", "child JVM " + ChildJvm.HEAP);
            bench.record("7 memory", "(b) identity app, during 1", "peak RSS", b.peakRssMib(), "MiB", "child JVM " + ChildJvm.HEAP);
            bench.record("7 memory", "(c) policy-streams, during 1", "peak RSS", c.peakRssMib(), "MiB",
                    "child JVM " + ChildJvm.HEAP + "; one application, audit chain included");
            return new Outcome(policy, c.eventsPerSecond(), topics, mix);
        }
    }

    private void report(String subject, Drain.Measurement m, String note) {
        bench.record(NAME, subject, "events/s", m.eventsPerSecond(), "events/s", note);
        bench.record(NAME, subject, "CPU per event", m.cpuMicrosPerEvent(), "us", "service JVM + broker JVM");
        bench.record(NAME, subject, "service CPU per event", m.serviceCpuMicrosPerEvent(), "us", "service JVM alone");
        bench.record(NAME, subject, "offsets written per event", m.writtenPerEvent(), "", "all topics incl. changelogs "
                + "and transaction markers");
    }
}
