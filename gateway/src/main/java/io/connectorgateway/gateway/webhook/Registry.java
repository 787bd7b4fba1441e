package io.connectorgateway.gateway.webhook;

import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Who is behind each webhook: LINE channels by registry name (the last segment of the webhook
 * URL) and WORKS bots by bot id, each with the tenant, the member and the secrets.
 *
 * <p>Read once at startup from configuration ({@code gateway.line.channels.<name>.*},
 * {@code gateway.works.bots.<name>.*}), which Micronaut fills from {@code application.yml}, extra
 * config files and environment variables; secrets are therefore never in code or in Kafka. A
 * broken entry fails startup with a message naming the property.
 */
public final class Registry {
    private final Map<String, LineChannel> lineByName;
    private final Map<String, WorksBot> worksByBotId;

    public Registry(Collection<LineChannel> lines, Collection<WorksBot> bots) {
        Map<String, LineChannel> byName = new HashMap<>();
        Map<String, String> destinations = new HashMap<>();
        for (LineChannel c : lines) {
            byName.put(c.name(), c);
            String other = destinations.putIfAbsent(c.destination(), c.name());
            if (other != null) {
                throw new IllegalArgumentException("gateway.line.channels." + other + " and ." + c.name()
                        + " have the same destination " + c.destination());
            }
        }
        Map<String, WorksBot> byBot = new HashMap<>();
        for (WorksBot b : bots) {
            WorksBot other = byBot.putIfAbsent(b.botId(), b);
            if (other != null) {
                throw new IllegalArgumentException("gateway.works.bots." + other.name() + " and ." + b.name()
                        + " have the same bot-id " + b.botId());
            }
        }
        this.lineByName = Map.copyOf(byName);
        this.worksByBotId = Map.copyOf(byBot);
    }

    public Optional<LineChannel> lineChannel(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(lineByName.get(name));
    }

    public Optional<WorksBot> worksBot(String botId) {
        return botId == null ? Optional.empty() : Optional.ofNullable(worksByBotId.get(botId.trim()));
    }

    public int lineChannels() {
        return lineByName.size();
    }

    public int worksBots() {
        return worksByBotId.size();
    }

    /** Reads the registry from Micronaut configuration. */
    public static Registry fromConfiguration(Environment env) {
        List<LineChannel> lines = new TreeSet<>(env.getPropertyEntries("gateway.line.channels")).stream().map(name -> {
            String p = "gateway.line.channels." + name + ".";
            return new LineChannel(name,
                    env.getProperty(p + "destination", String.class).orElse(null),
                    env.getProperty(p + "tenant", String.class).orElse(null),
                    env.getProperty(p + "member", String.class).orElse(null),
                    env.getProperty(p + "url-token", String.class).orElse(null),
                    Secrets.of(secrets(env, p + "secrets"), p + "secrets"));
        }).toList();
        List<WorksBot> bots = new TreeSet<>(env.getPropertyEntries("gateway.works.bots")).stream().map(name -> {
            String p = "gateway.works.bots." + name + ".";
            return new WorksBot(name,
                    env.getProperty(p + "bot-id", String.class).orElse(null),
                    env.getProperty(p + "tenant", String.class).orElse(null),
                    env.getProperty(p + "member", String.class).orElse(null),
                    Secrets.of(secrets(env, p + "secrets"), p + "secrets"));
        }).toList();
        return new Registry(lines, bots);
    }

    private static List<String> secrets(Environment env, String property) {
        return env.get(property, Argument.listOf(String.class)).orElse(List.of()).stream()
                .flatMap(s -> java.util.Arrays.stream(s.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
