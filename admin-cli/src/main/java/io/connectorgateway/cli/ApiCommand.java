package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A subcommand that calls the admin API: connection options, output and error handling. */
abstract class ApiCommand implements Callable<Integer> {
    @Option(names = "--url", description = "admin API base URL (default: env CONNECTOR_ADMIN_URL)")
    String url;

    @Option(names = "--token", description = "bearer token (default: env CONNECTOR_ADMIN_TOKEN)")
    String token;

    @Option(names = "--json", description = "print JSON instead of tables")
    boolean json;

    @Spec
    CommandSpec spec;

    AdminCli root() {
        return (AdminCli) spec.root().userObject();
    }

    PrintWriter out() {
        return root().out;
    }

    PrintWriter err() {
        return root().err;
    }

    AdminClient client() {
        String u = url != null ? url : root().env.get("CONNECTOR_ADMIN_URL");
        String t = token != null ? token : root().env.get("CONNECTOR_ADMIN_TOKEN");
        if (u == null || u.isBlank()) {
            throw new AdminCli.UsageException("no API URL: pass --url or set CONNECTOR_ADMIN_URL");
        }
        if (t == null || t.isBlank()) {
            throw new AdminCli.UsageException("no credential: pass --token or set CONNECTOR_ADMIN_TOKEN");
        }
        return new AdminClient(u, t);
    }

    /** Reports a failed call (JSON body on stdout with --json, a readable message on stderr always). */
    int fail(AdminClient.Answer a) {
        if (a.status() == 0) {
            err().println("error: " + a.transportError());
            err().flush();
            return AdminCli.UNAVAILABLE;
        }
        if (json && a.body() != null) {
            printJson(a.body());
        }
        JsonNode b = a.body();
        String error = b != null && b.hasNonNull("error") ? b.get("error").asText() : "http";
        String message = b != null && b.hasNonNull("message") ? b.get("message").asText() : "";
        err().println("error (" + a.status() + " " + error + "): " + message);
        if (b != null && b.has("violations")) {
            for (JsonNode v : b.get("violations")) {
                err().println("  " + v.path("rule").asText() + " " + v.path("field").asText() + ": "
                        + v.path("message").asText());
            }
        }
        if (b != null && b.has("currentVersion")) {
            err().println("  current version: " + b.get("currentVersion").asLong());
        }
        err().flush();
        return AdminCli.exitCode(a.status());
    }

    void printJson(JsonNode node) {
        try {
            out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
