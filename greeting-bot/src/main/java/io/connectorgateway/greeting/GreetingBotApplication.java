package io.connectorgateway.greeting;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the greeting bot as its own service: configuration from the environment (see README),
 * clean shutdown on SIGTERM, exit status 1 when the consumer loop fails so a supervisor restarts it.
 */
public final class GreetingBotApplication {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingBotApplication.class);

    private GreetingBotApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        GreetingBot bot;
        try {
            bot = GreetingBot.start(GreetingBotConfig.fromEnvironment());
        } catch (RuntimeException e) {
            LOG.error("greeting bot cannot start: {}", e.getMessage(), e);
            System.exit(2);
            return;
        }
        Thread hook = new Thread(bot::close, "greeting-bot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        bot.awaitTermination();
        if (bot.state() == io.connectorgateway.greeting.consume.GreetingConsumer.State.FAILED) {
            Runtime.getRuntime().removeShutdownHook(hook);
            bot.close();
            System.exit(1);
        }
    }
}
