package io.connectorgateway.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code connector-admin}: the admin CLI. It only calls the gateway's admin HTTP API (it never
 * writes topics), so it is subject to the same authorisation, validation and audit.
 *
 * <p>Exit codes (stable, for scripts): 0 done; 1 usage (bad arguments, unknown path); 2 auth (401
 * no or wrong credential, 403 not allowed); 3 validation (400, 422, 428); 4 conflict (409: someone
 * changed it first); 5 server error or unreachable.
 */
@Command(name = "connector-admin", mixinStandardHelpOptions = true, version = "connector-admin 0.1",
        description = "Change connector settings, connected members, channels and plans; search and follow the audit trail.",
        subcommands = {SettingsCommand.class, PlanCommand.class, MembersCommand.class, ImpactCommand.class,
                AuditCommand.class, TokenCommand.class, ChannelsCommand.class})
public final class AdminCli extends GroupCommand {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int AUTH = 2;
    public static final int VALIDATION = 3;
    public static final int CONFLICT = 4;
    public static final int UNAVAILABLE = 5;
    /** {@code audit verify} found a broken link in the audit chain. */
    public static final int CHAIN_BROKEN = 6;

    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;

    AdminCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs the CLI in this process: what {@link #main} does, with the environment and streams given. */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new AdminCli(env, out, err));
        withHelpOptions(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("usage error: " + e.getMessage());
            e.getCommandLine().usage(err);
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof java.io.IOException) {
                // Calls to the server never throw (AdminClient turns I/O errors into answers), so
                // this is a file named on the command line that cannot be read: the caller's mistake.
                err.println("error: cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
                err.flush();
                return USAGE;
            }
            err.println("error: " + e.getMessage());
            err.flush();
            return e instanceof UsageException ? USAGE : UNAVAILABLE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code -h/--help} (and {@code -V/--version}) on every command, not only the top one. */
    private static void withHelpOptions(CommandLine cl) {
        if (!cl.getCommandSpec().mixinStandardHelpOptions()) {
            cl.getCommandSpec().mixinStandardHelpOptions(true);
        }
        cl.getSubcommands().values().forEach(AdminCli::withHelpOptions);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(System.getenv(), out, err, args));
    }

    /** HTTP status to exit code (see the class comment). */
    static int exitCode(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 401, 403 -> AUTH;
            case 400, 422, 428 -> VALIDATION;
            case 409 -> CONFLICT;
            case 404, 405 -> USAGE;
            default -> UNAVAILABLE;
        };
    }

    /** A mistake in how the CLI was called (exit 1). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
