package io.connectorgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} answers on every command with its usage and exit 0, without a server. */
class AdminCliHelpTest {

    @Test
    void everyCommandAnswersHelpWithItsOwnUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new AdminCli(Map.of(), null, null)), new ArrayList<>(), paths);
        assertTrue(paths.size() > 15, "all commands found: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                int code = AdminCli.execute(Map.of(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
                String usage = "Usage: connector-admin" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                assertEquals(AdminCli.OK, code, args + ": " + err);
                assertTrue(out.toString().startsWith(usage), args + " printed: " + out);
                assertEquals("", err.toString(), args + " wrote to stderr");
            }
        }
    }

    @Test
    void anUnknownOptionIsStillAUsageError() {
        StringWriter err = new StringWriter();
        int code = AdminCli.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err), "audit", "verify", "--nope");
        assertEquals(AdminCli.USAGE, code);
        assertTrue(err.toString().contains("Unknown option: '--nope'"), err.toString());
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().name().equals(name)) {
                return; // an alias
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, into);
        });
    }
}
