package io.connectorgateway.bench;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.Change;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.channel.ChannelBinding;
import io.connectorgateway.contracts.channel.ChannelSealer;
import io.connectorgateway.contracts.channel.ChannelSecrets;
import io.connectorgateway.contracts.command.GreetingCommand;
import io.connectorgateway.contracts.topic.Topics;
import io.connectorgateway.greeting.GreetingBot;
import io.connectorgateway.greeting.GreetingBotConfig;
import io.connectorgateway.linestandin.LinePushStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmark 5: the greeting bot (in this JVM) draining pre-loaded greeting commands against the
 * LINE push stand-in, which answers at once; then again with 5% of push requests answered 500
 * (retries included), which the bot retries with its default backoff. The rate counts pushes
 * LINE accepted after the first 20% (warm-up, as in benchmarks 1 to 4), to the last.
 */
final class GreetingThroughput {
    static final String NAME = "5 greeting bot";
    private static final String TOKEN = "bench-channel-token";
    private static final String KEYS = "bench:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final ChannelSealer SEALER = ChannelSealer.fromKeys(KEYS);

    private final Bench bench;

    GreetingThroughput(Bench bench) {
        this.bench = bench;
    }

    void run() throws Exception {
        int n = bench.profile.greetings();
        measure("stand-in answers at once", "bench5.", n, 0.0);
        measure("5% of pushes answered 500", "bench5f.", n, 0.05);
    }

    private void measure(String subject, String prefix, int n, double failureShare) throws Exception {
        Topics topics = Bench.topics(prefix);
        long now = System.currentTimeMillis();
        List<GreetingCommand> commands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            commands.add(new GreetingCommand(1, "greet-fa-" + i, "tenant" + (i % 20), "room" + i, "m" + (i % 50),
                    "U" + i, "Hello {userName}, thanks for adding {memberName}", "10% off this week", 1, "fa-" + i, now));
        }
        try (var admin = bench.admin(); var producer = bench.loader();
             LinePushStandIn line = LinePushStandIn.start(0, List.of(TOKEN))) {
            bench.createTopics(admin, topics);
            // Each member's LINE channel in the registry, as the admin API writes it: the bot pushes with its token.
            List<ChannelBinding> channels = new ArrayList<>();
            Change change = new Change(new Actor("bench", Actor.Role.OPERATOR), "benchmark channels", now);
            for (int i = 0; i < Math.min(n, 20 * 50); i++) {
                String tenant = "tenant" + (i % 20);
                String member = "m" + (i % 50);
                if (channels.stream().noneMatch(b -> b.tenant().equals(tenant) && b.memberId().equals(member))) {
                    channels.add(ChannelBinding.registered(SEALER, tenant, Connector.LINE, member, "ch-" + tenant + "-" + member,
                            "Ubench" + i, null, new ChannelSecrets(List.of("bench-secret"), TOKEN), change));
                }
            }
            bench.load(producer, topics.channels, channels, ChannelBinding::key);
            bench.load(producer, topics.greetings, commands, GreetingCommand::roomId);
            if (failureShare > 0) {
                // One step per push request, retries included: about failureShare of all requests fail.
                SplittableRandom rnd = new SplittableRandom(5);
                List<LinePushStandIn.Step> steps = new ArrayList<>();
                for (int i = 0; i < n * 2; i++) {
                    steps.add(rnd.nextDouble() < failureShare ? LinePushStandIn.Step.fail(500)
                            : LinePushStandIn.Step.delay(Duration.ZERO));
                }
                line.script(steps.toArray(LinePushStandIn.Step[]::new));
            }
            GreetingBotConfig config = GreetingBotConfig.fromEnvironment(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bench.bootstrap,
                    "CONNECTOR_TOPIC_PREFIX", prefix,
                    "LINE_API_BASE_URL", line.baseUrl().toString(),
                    "CONNECTOR_CHANNEL_KEYS", KEYS,
                    "GREETING_PORT", "-1",
                    "GREETING_GROUP_ID", prefix + "greeting-bot",
                    "GREETING_INSTANCE_ID", prefix + "bot-1"));
            try (GreetingBot bot = GreetingBot.start(config)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                long first = -1;
                int atFirst = 0;
                int accepted = 0;
                int warmUp = Math.max(1, (int) (n * Drain.WARM_UP_SHARE));
                while (accepted < n) {
                    accepted = line.acceptedCount();
                    if (first < 0 && accepted >= warmUp) {
                        first = System.nanoTime();
                        atFirst = accepted;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + accepted + " of " + n + " greetings within 5 minutes");
                    }
                    Thread.sleep(10);
                }
                double seconds = (System.nanoTime() - first) / 1e9;
                long failed = line.calls().stream().filter(c -> c.status() == 500).count();
                bench.record(NAME, subject, "greetings/s", (n - atFirst) / seconds, "greetings/s",
                        String.format("%,d greetings; %,d push requests answered 500", n, failed));
            }
        }
    }
}
