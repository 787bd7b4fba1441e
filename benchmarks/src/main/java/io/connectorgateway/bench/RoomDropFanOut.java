package io.connectorgateway.bench;

import io.connectorgateway.contracts.command.RoomCommand;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.settings.ConnectedMember;
import io.connectorgateway.contracts.settings.TenantSettings;
import io.connectorgateway.contracts.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Benchmark 3 (R4 fan-out): rooms opened by friend-adds over ten tenants, tenant0 holding half;
 * then tenant0's LINE connector is disabled (the record the settings API writes) and the clock
 * runs until the last {@code DROPPED} command of tenant0 is visible to a {@code read_committed}
 * consumer. Tenant0's rooms are all on its own partition: that one task scans the
 * {@code tenant0:LINE:} prefix of its room store; no other task has anything to do.
 */
final class RoomDropFanOut {
    static final String NAME = "3 room drop";
    private static final int MEMBERS = 100;
    private static final int OTHER_TENANTS = 9;

    private final Bench bench;

    RoomDropFanOut(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int rooms = bench.profile.rooms();
        int bigUsers = Math.max(1, rooms / 2 / MEMBERS);
        int otherUsers = Math.max(1, rooms / 2 / OTHER_TENANTS / MEMBERS);
        EventMix mix = new EventMix(1 + OTHER_TENANTS, MEMBERS, 0);
        List<ConnectorEvent> friendAdds = new ArrayList<>();
        long ts = EventMix.T0;
        for (int t = 0; t <= OTHER_TENANTS; t++) {
            for (int m = 0; m < MEMBERS; m++) {
                for (int u = 0; u < (t == 0 ? bigUsers : otherUsers); u++) {
                    friendAdds.add(EventMix.friendAdd(t, m, u, ts++));
                }
            }
        }
        int bigRooms = bigUsers * MEMBERS;
        Topics topics = Bench.topics("bench3.");
        try (var admin = bench.admin(); var producer = bench.loader()) {
            bench.createTopics(admin, topics);
            bench.load(producer, topics.settings, mix.settings(), TenantSettings::key);
            bench.load(producer, topics.members, mix.members(), ConnectedMember::key);
            bench.load(producer, topics.lineEvents, friendAdds, ConnectorEvent::pairKey);
            try (ChildJvm opener = bench.startPolicy("policy-3", topics, "bench3-policy", false)) {
                Drain.Measurement open = Drain.await(admin, topics.lineEvents.name(), "bench3-policy", opener,
                        Duration.ofMinutes(10));
                bench.record(NAME, "(c) opening " + friendAdds.size() + " rooms (friend-adds)", "events/s",
                        open.eventsPerSecond(), "events/s", "room, audit, greeting per friend-add");
            }
            try (ChildJvm policy = restore(admin, producer, topics, friendAdds.size())) {
                try (KafkaConsumer<byte[], byte[]> consumer = bench.tail(topics.rooms.name())) {
                    TenantSettings disable = EventMix.settings(0, 2, false);
                    long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(topics.settings.name(), disable.key(),
                            topics.settings.valueSerde().serializer().serialize("", disable))).get();
                    var deserializer = topics.rooms.valueSerde().deserializer();
                    long dropped = 0;
                    long first = -1;
                    long last = -1;
                    long deadline = t0 + Duration.ofMinutes(3).toNanos();
                    while (dropped < bigRooms && System.nanoTime() < deadline) {
                        policy.checkAlive();
                        for (var r : consumer.poll(Duration.ofMillis(50))) {
                            RoomCommand cmd = deserializer.deserialize(r.topic(), r.value());
                            if (cmd.action() == RoomCommand.Action.DROPPED && cmd.tenant().equals(EventMix.tenant(0))) {
                                dropped++;
                                last = System.nanoTime();
                                first = first < 0 ? last : first;
                            }
                        }
                    }
                    if (dropped < bigRooms) {
                        throw new IllegalStateException("only " + dropped + " of " + bigRooms + " rooms dropped within 3 minutes");
                    }
                    String subject = String.format("disable tenant0: %,d of %,d rooms", bigRooms, friendAdds.size());
                    bench.record(NAME, subject, "to last DROPPED", (last - t0) / 1e6, "ms",
                            rooms == 100_000 ? "target < 1,500 ms for 50,000 rooms" : "quick profile: fewer rooms than 100,000");
                    bench.record(NAME, subject, "to first DROPPED", (first - t0) / 1e6, "ms", "read_committed");
                    bench.record(NAME, subject, "drops/s", bigRooms / ((last - t0) / 1e9), "rooms/s", "");
                }
                bench.record("7 memory", "(c) policy-streams, during 3", "peak RSS", policy.peakRssMib(), "MiB",
                        "child JVM " + ChildJvm.HEAP);
            }
        }
    }

    /**
     * A restart that lost its state directory (a new machine): the same application id starts
     * from nothing, restores its stores from their changelogs, and only then decides. Measured from
     * the start of the JVM to the probe message's delivery, with the changelogs' size beside it.
     * Returns the restarted service, deciding.
     */
    private ChildJvm restore(org.apache.kafka.clients.admin.Admin admin, org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer,
                         Topics topics, int rooms) throws Exception {
        java.util.Set<String> changelogs = new java.util.TreeSet<>(admin.listTopics().names().get());
        changelogs.removeIf(n -> !(n.startsWith("bench3-policy-") && n.endsWith("-changelog")));
        long records = 0;
        var latest = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
        for (var d : admin.describeTopics(changelogs).allTopicNames().get().values()) {
            d.partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
        }
        for (var info : admin.listOffsets(latest).all().get().values()) {
            records += info.offset();
        }
        long bytes = 0;
        for (var dirs : admin.describeLogDirs(List.of(0)).allDescriptions().get().values()) {
            for (var dir : dirs.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    if (changelogs.contains(replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        try (KafkaConsumer<byte[], byte[]> deliveries = bench.tail(topics.deliveries.name())) {
            long t0 = System.nanoTime();
            ChildJvm restarted = bench.startPolicy("policy-3-fresh", topics, "bench3-policy", false);
            try {
                ConnectorEvent probe = EventMix.textMessage("restore-probe", 0, 0, 0, System.currentTimeMillis());
                producer.send(new ProducerRecord<>(topics.lineEvents.name(), probe.pairKey(),
                        topics.lineEvents.valueSerde().serializer().serialize("", probe))).get();
                long deadline = t0 + Duration.ofMinutes(5).toNanos();
                boolean seen = false;
                while (!seen && System.nanoTime() < deadline) {
                    restarted.checkAlive();
                    for (var r : deliveries.poll(Duration.ofMillis(50))) {
                        seen |= new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("restore-probe");
                    }
                }
                if (!seen) {
                    throw new IllegalStateException("no decision within 5 minutes of a restart without state");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                String subject = String.format("restart without state (%,d rooms)", rooms);
                bench.record(NAME, subject, "to first decision", seconds * 1000, "ms",
                        "new JVM, group join, restore of every store from its changelog, then the probe");
                bench.record(NAME, subject, "changelog records", records, "records", changelogs.size() + " changelog topics");
                bench.record(NAME, subject, "changelog size", bytes / 1024.0 / 1024.0, "MiB", "on the broker");
                bench.record(NAME, subject, "restore rate (lower bound)", bytes / 1024.0 / 1024.0 / seconds, "MiB/s",
                        "size / time to first decision");
                return restarted;
            } catch (Exception | Error e) {
                restarted.close();
                throw e;
            }
        }
    }
}
