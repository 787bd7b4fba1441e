package io.connectorgateway.local;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run-local.sh [--demo-traffic]}: starts the local stack, prints how to use it, and runs
 * until Ctrl-C (or SIGTERM), then stops every part in reverse order.
 */
public final class LocalStackMain {
    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean demo = false;
        for (String a : args) {
            switch (a) {
                case "--demo-traffic" -> demo = true;
                case "-h", "--help" -> {
                    System.out.println("usage: ./run-local.sh [--demo-traffic]\n"
                            + "env: LOCAL_DATA_DIR (local-data), KAFKA_BOOTSTRAP_SERVERS (embedded broker when unset),\n"
                            + "     LOCAL_KAFKA_PORT (" + io.connectorgateway.kafka.embedded.KafkaNode.DEFAULT_PORT + ", the embedded broker's client port),\n"
                            + "     GATEWAY_PORT (8080), LINE_STANDIN_PORT (8089), GREETING_PORT (8082), CONNECTOR_TOPIC_PARTITIONS (4)");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + a + " (see --help)");
                    System.exit(1);
                }
            }
        }
        LocalStack stack = LocalStack.start(LocalStack.Options.fromEnvironment(System.getenv()));
        DemoTraffic traffic = demo ? new DemoTraffic(stack) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping...");
            try {
                if (traffic != null) {
                    traffic.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stack.close();
            System.out.println("stopped cleanly.");
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println(stack.banner(stack.followExample()));
        if (traffic != null) {
            traffic.start();
        }
        stopped.await();
    }
}
