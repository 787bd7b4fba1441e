package io.connectorgateway.local;

import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Direction;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.event.Attachment;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.event.ConnectorEvent;
import io.connectorgateway.contracts.event.EventType;
import io.connectorgateway.contracts.event.GroupContentType;
import io.connectorgateway.contracts.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Simulated platform traffic so one can watch the rules act: LINE users adding members as friends
 * and writing (signed webhooks through the gateway), members answering with and without
 * attachments, WORKS contact-adds and group notes (the platform's own events), and an admin
 * flipping settings. A second thread prints the decisions by kind as they land on the audit stream.
 */
final class DemoTraffic implements AutoCloseable {
    private final LocalStack stack;
    private final Duration pace;
    private final int adminEvery;
    private final Duration summaryEvery;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SplittableRandom rnd = new SplittableRandom(7);
    private final List<String[]> lineFriends = new ArrayList<>();
    private final List<String> worksContacts = new ArrayList<>();
    private final Map<AuditKind, Long> counts = new EnumMap<>(AuditKind.class);
    private long seq = System.currentTimeMillis() % 1_000_000;

    /** The pace a person can follow: an event every 150 ms, an admin change every 100 events. */
    DemoTraffic(LocalStack stack) {
        this(stack, Duration.ofMillis(150), 100, Duration.ofSeconds(5));
    }

    DemoTraffic(LocalStack stack, Duration pace, int adminEvery, Duration summaryEvery) {
        this.stack = stack;
        this.pace = pace;
        this.adminEvery = adminEvery;
        this.summaryEvery = summaryEvery;
    }

    /** The decisions seen on the audit stream so far, by kind. */
    synchronized Map<AuditKind, Long> counts() {
        return new EnumMap<>(counts);
    }

    void start() {
        threads.add(new Thread(this::play, "demo-traffic"));
        threads.add(new Thread(this::summarise, "demo-summary"));
        threads.forEach(Thread::start);
    }

    private void play() {
        Topics topics = stack.kafka().topics();
        AdminHttp admin = new AdminHttp(stack.gatewayUrl());
        try (var producer = new KafkaProducer<>(stack.kafka().durableProducerConfig("demo-platform"),
                topics.lineEvents.keySerde().serializer(), topics.lineEvents.valueSerde().serializer())) {
            int tick = 0;
            while (running.get()) {
                tick++;
                int roll = rnd.nextInt(100);
                if (lineFriends.isEmpty() || roll < 10) {
                    lineFollow();
                } else if (roll < 45) {
                    lineInbound();
                } else if (roll < 70) {
                    platformOutbound(producer, topics);
                } else if (roll < 80 || worksContacts.isEmpty()) {
                    worksContactAdd(producer, topics);
                } else {
                    worksGroupNote(producer, topics);
                }
                if (tick % adminEvery == 0) {
                    adminFlips(admin, tick / adminEvery);
                }
                Thread.sleep(pace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("demo traffic stopped: " + e);
        }
    }

    private String next(String prefix) {
        return prefix + (++seq);
    }

    private void lineFollow() throws Exception {
        String member = DemoTenant.LINE_MEMBERS.get(rnd.nextInt(DemoTenant.LINE_MEMBERS.size()));
        String user = String.format("U%032x", seq * 7919 + rnd.nextInt(1000));
        postLine(member, LineWebhooks.follow(DemoTenant.destination(member), user, next("01DEMOFOLLOW"), System.currentTimeMillis()));
        lineFriends.add(new String[] {member, user});
    }

    private void lineInbound() throws Exception {
        String[] f = lineFriends.get(rnd.nextInt(lineFriends.size()));
        String dest = DemoTenant.destination(f[0]);
        long now = System.currentTimeMillis();
        String body = switch (rnd.nextInt(4)) {
            case 0 -> LineWebhooks.image(dest, f[1], next("01DEMOIMG"), next("7"), now);
            case 1 -> LineWebhooks.sticker(dest, f[1], next("01DEMOSTK"), next("7"), now);
            default -> LineWebhooks.text(dest, f[1], next("01DEMOTXT"), next("7"), "Is the blue one still available?", now);
        };
        postLine(f[0], body);
    }

    private void postLine(String member, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + DemoTenant.lineWebhookPath(member)))
                .header("Content-Type", "application/json")
                .header("x-line-signature", LineWebhooks.sign(stack.secrets().lineChannelSecret(), bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.err.println("webhook answered " + r.statusCode() + ": " + r.body());
        }
    }

    private void platformOutbound(KafkaProducer<String, ConnectorEvent> producer, Topics topics) {
        String[] f = lineFriends.get(rnd.nextInt(lineFriends.size()));
        ConnectorEvent.Builder b = ConnectorEvent.builder().eventId(next("out-")).tenant(DemoTenant.TENANT)
                .connector(Connector.LINE).direction(Direction.OUTBOUND).type(EventType.MESSAGE).memberId(f[0])
                .externalUserId(f[1]).timestamp(System.currentTimeMillis()).source("demo-platform")
                .text("Yes, we have it in stock.");
        if (rnd.nextInt(3) == 0) {
            AttachmentKind[] kinds = {AttachmentKind.FILE, AttachmentKind.CONTACT, AttachmentKind.DRIVE_FILE, AttachmentKind.IMAGE};
            b.attachments(new Attachment(kinds[rnd.nextInt(kinds.length)], "catalogue.pdf", 48_000L, "drive-1"));
        }
        ConnectorEvent e = b.build();
        producer.send(new ProducerRecord<>(topics.lineEvents.name(), e.pairKey(), e));
    }

    private void worksContactAdd(KafkaProducer<String, ConnectorEvent> producer, Topics topics) {
        String ext = next("partner") + "@other.example";
        ConnectorEvent e = ConnectorEvent.builder().eventId(next("ca-")).tenant(DemoTenant.TENANT).connector(Connector.WORKS)
                .direction(Direction.OUTBOUND).type(EventType.CONTACT_ADD).memberId(DemoTenant.WORKS_MEMBER)
                .externalUserId(ext).timestamp(System.currentTimeMillis()).source("demo-platform").build();
        producer.send(new ProducerRecord<>(topics.worksEvents.name(), e.pairKey(), e));
        worksContacts.add(ext);
    }

    private void worksGroupNote(KafkaProducer<String, ConnectorEvent> producer, Topics topics) {
        String ext = worksContacts.get(rnd.nextInt(worksContacts.size()));
        ConnectorEvent.Builder b = ConnectorEvent.builder().eventId(next("gc-")).tenant(DemoTenant.TENANT)
                .connector(Connector.WORKS).direction(rnd.nextBoolean() ? Direction.OUTBOUND : Direction.INBOUND)
                .memberId(DemoTenant.WORKS_MEMBER).externalUserId(ext).timestamp(System.currentTimeMillis())
                .source("demo-platform");
        if (rnd.nextBoolean()) {
            b.type(EventType.GROUP_CONTENT).groupContentType(GroupContentType.NOTE).text("Meeting notes")
                    .attachments(Attachment.of(rnd.nextBoolean() ? AttachmentKind.FILE : AttachmentKind.TEMPLATE));
        } else {
            b.type(EventType.MESSAGE).text("Thanks, see you Tuesday.");
        }
        ConnectorEvent e = b.build();
        producer.send(new ProducerRecord<>(topics.worksEvents.name(), e.pairKey(), e));
    }

    /**
     * What admins do over a working day, in a cycle: tighten and relax the LINE attachment
     * restriction, and switch the WORKS connector off (its rooms are dropped, its traffic refused)
     * and on again (rooms must be opened anew by new contact-adds).
     */
    private void adminFlips(AdminHttp admin, int n) {
        try {
            switch (n % 4) {
                case 1, 3 -> {
                    String action = n % 4 == 1 ? "BLOCK" : "STRIP";
                    DemoTenant.patchSettings(admin, stack.secrets(), Connector.LINE, Map.of("attachments",
                            Map.of("enabled", true, "action", action), "reason", "demo: admin flips to " + action));
                    System.out.println("[admin] LINE attachment restriction is now " + action);
                }
                case 2 -> {
                    DemoTenant.patchSettings(admin, stack.secrets(), Connector.WORKS,
                            Map.of("enabled", false, "reason", "demo: admin switches WORKS off"));
                    worksContacts.clear();
                    System.out.println("[admin] WORKS connector is now off: its rooms are dropped, its traffic refused");
                }
                default -> {
                    DemoTenant.patchSettings(admin, stack.secrets(), Connector.WORKS,
                            Map.of("enabled", true, "reason", "demo: admin switches WORKS back on"));
                    worksContacts.clear(); // contact-adds made while off were refused: no rooms
                    System.out.println("[admin] WORKS connector is on again: new contact-adds open new rooms");
                }
            }
        } catch (Exception e) {
            System.err.println("[admin] settings change failed: " + e.getMessage());
        }
    }

    private void summarise() {
        Topics topics = stack.kafka().topics();
        var config = stack.kafka().committedConsumerConfig("demo-summary-" + System.nanoTime());
        config.put("auto.offset.reset", "latest");
        try (var consumer = new KafkaConsumer<>(config, topics.audit.keySerde().deserializer(), topics.audit.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.audit.name()));
            long lastPrint = System.nanoTime();
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(500));
                synchronized (this) {
                    for (var r : records) {
                        if (r.value() != null) {
                            counts.merge(r.value().kind(), 1L, Long::sum);
                        }
                    }
                }
                if (System.nanoTime() - lastPrint > summaryEvery.toNanos()) {
                    lastPrint = System.nanoTime();
                    StringBuilder line = new StringBuilder("[decisions so far]");
                    counts().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
                    System.out.println(line);
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                System.err.println("demo summary stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
