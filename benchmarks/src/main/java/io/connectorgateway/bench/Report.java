package io.connectorgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Prints the table and writes it into {@code docs/benchmarks.md} between two markers, so the
 * hand-written analysis around it survives a new run.
 */
final class Report {
    static final String BEGIN = "<!-- bench:results (written by ./bench.sh; edit outside the markers) -->";
    static final String END = "<!-- /bench:results -->";

    private Report() {
    }

    static void write(Bench bench, Path out, double minutes, boolean embeddedBroker, String[] args) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append(String.format(Locale.ROOT, "Run of `./bench.sh%s` on %s, %.1f minutes.%n%n", args.length == 0 ? ""
                : " " + String.join(" ", args), Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC", minutes));
        md.append("Machine: ").append(machine()).append(", Java ").append(Runtime.version()).append(", ")
                .append(embeddedBroker ? "single-node KRaft broker inside the benchmark JVM"
                        : "external broker " + bench.bootstrap).append(".\n\n");
        Profile p = bench.profile;
        md.append(String.format(Locale.ROOT, "Profile `%s`: %,d messages after %,d friend-adds over %d tenants; %d s per "
                        + "latency point; %,d open rooms for the drop; %,d webhooks; %,d greetings; %,d audit records.%n%n",
                p.name(), p.messages(), p.tenants() * p.membersPerTenant() * p.usersPerMember(), p.tenants(),
                p.latencySeconds(), p.rooms(), p.webhooks(), p.greetings(), p.auditRecords()));
        md.append("| benchmark | subject | metric | value | unit | note |\n|---|---|---|---:|---|---|\n");
        for (Result r : bench.results) {
            md.append("| ").append(r.benchmark()).append(" | ").append(r.subject()).append(" | ").append(r.metric())
                    .append(" | ").append(r.formatted()).append(" | ").append(r.unit()).append(" | ").append(r.note())
                    .append(" |\n");
        }
        md.append(END).append('\n');
        System.out.println();
        System.out.print(md);

        String doc = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        String updated;
        if (b >= 0 && e > b) {
            int after = e + END.length();
            if (after < doc.length() && doc.charAt(after) == '\n') {
                after++;
            }
            updated = doc.substring(0, b) + md + doc.substring(after);
        } else {
            updated = doc + "\n" + md;
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, updated);
        System.out.println("written to " + out);
    }

    /** CPU model, cores and memory, from /proc where it exists. */
    static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpu = info.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the architecture will do
        }
        String mem = "";
        try {
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, ", %.1f GiB RAM",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).findFirst().orElse("");
        } catch (IOException ignored) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores" + mem + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
