package io.connectorgateway.greeting;

import io.connectorgateway.runtime.ServiceRunner;

/**
 * Runs the greeting bot as its own service: configuration from the environment (see README), run
 * as every service runs ({@link ServiceRunner}: exit 2 when it cannot start, clean shutdown on
 * SIGTERM, exit 1 when the consumer loop fails so a supervisor restarts it).
 */
public final class GreetingBotApplication {
    private GreetingBotApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceRunner.run(GreetingBotConfig.SERVICE, () -> GreetingBot.start(GreetingBotConfig.fromEnvironment()));
    }
}
