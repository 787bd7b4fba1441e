package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "members", description = "List and change connected members, reset friend-add URLs.",
        subcommands = {MembersCommand.ListMembers.class, MembersCommand.Add.class, MembersCommand.Remove.class,
                MembersCommand.ResetUrls.class})
final class MembersCommand extends GroupCommand {

    static String path(String tenant, Connector connector) {
        return "/admin/v1/tenants/" + AdminClient.seg(tenant) + "/connectors/" + connector + "/members";
    }

    @Command(name = "list", description = "Connected members with their current friend-add URL.")
    static final class ListMembers extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = {"-c", "--connector"}, required = true)
        Connector connector;

        @Option(names = "--all", description = "include removed members")
        boolean all;

        @Override
        public Integer call() {
            var a = client().call("GET", path(tenant, connector) + (all ? "?all=true" : ""), null);
            if (!a.ok()) {
                return fail(a);
            }
            if (json) {
                printJson(a.body());
                return AdminCli.OK;
            }
            Table t = new Table("MEMBER", "GRANTED", "VERSION", "FRIEND URL");
            for (JsonNode m : a.body().path("members")) {
                t.row(text(m, "memberId"), text(m, "granted"), text(m, "version"), text(m, "friendUrl"));
            }
            t.print(out());
            return AdminCli.OK;
        }
    }

    /** Shared by add, remove and reset-urls: member lists from arguments and a file, sent in batches with progress. */
    abstract static class Bulk extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = {"-c", "--connector"}, required = true)
        Connector connector;

        @Option(names = "--reason", required = true)
        String reason;

        @Option(names = "--file", description = "also read member ids from this file, one per line ('#' comments)")
        Path file;

        @Option(names = "--batch-size", defaultValue = "200", description = "members per request (default ${DEFAULT-VALUE})")
        int batchSize;

        @Parameters(arity = "0..*", paramLabel = "MEMBER")
        List<String> members = new ArrayList<>();

        List<String> allMembers() throws IOException {
            List<String> ids = new ArrayList<>(members);
            if (file != null) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String s = line.strip();
                    if (!s.isEmpty() && !s.startsWith("#")) {
                        ids.add(s);
                    }
                }
            }
            if (batchSize < 1) {
                throw new AdminCli.UsageException("--batch-size must be at least 1");
            }
            return ids;
        }

        /** Sends the ids in batches; prints progress to stderr; stops at the first failure. */
        int send(String verb, String path, List<String> ids, java.util.function.Function<List<String>, Object> body) {
            AdminClient client = client();
            ArrayNode changed = Json.mapper().createArrayNode();
            ArrayNode unchanged = Json.mapper().createArrayNode();
            int done = 0;
            int batches = (ids.size() + batchSize - 1) / batchSize;
            for (int b = 0; b < Math.max(1, batches); b++) {
                List<String> chunk = ids.subList(Math.min(ids.size(), b * batchSize), Math.min(ids.size(), (b + 1) * batchSize));
                var a = client.call("POST", path, body.apply(chunk));
                if (!a.ok()) {
                    if (done > 0) {
                        err().println(verb + ": stopped after " + done + " of " + ids.size()
                                + " members (earlier batches are committed)");
                    }
                    return fail(a);
                }
                changed.addAll((ArrayNode) a.body().path("changed"));
                unchanged.addAll((ArrayNode) a.body().path("unchanged"));
                done += chunk.size();
                if (batches > 1) {
                    err().println(verb + ": " + done + "/" + ids.size() + " members (batch " + (b + 1) + "/" + batches + ")");
                    err().flush();
                }
            }
            if (json) {
                ObjectNode o = Json.mapper().createObjectNode();
                o.set("changed", changed);
                o.set("unchanged", unchanged);
                printJson(o);
                return AdminCli.OK;
            }
            Table t = new Table("MEMBER", "RESULT", "VERSION", "FRIEND URL");
            for (JsonNode m : changed) {
                t.row(text(m, "memberId"), verbResult(m), text(m, "version"), text(m, "friendUrl"));
            }
            for (JsonNode m : unchanged) {
                t.row(m.asText(), "unchanged", null, null);
            }
            t.print(out());
            return AdminCli.OK;
        }

        abstract String verbResult(JsonNode m);
    }

    @Command(name = "add", description = "Add members to the connected-members list.")
    static final class Add extends Bulk {
        @Override
        public Integer call() throws IOException {
            List<String> ids = allMembers();
            if (ids.isEmpty()) {
                throw new AdminCli.UsageException("name at least one member");
            }
            return send("add", path(tenant, connector), ids, chunk -> Map.of("add", chunk, "reason", reason));
        }

        @Override
        String verbResult(JsonNode m) {
            return "added";
        }
    }

    @Command(name = "remove", description = "Remove members from the connected-members list.")
    static final class Remove extends Bulk {
        @Override
        public Integer call() throws IOException {
            List<String> ids = allMembers();
            if (ids.isEmpty()) {
                throw new AdminCli.UsageException("name at least one member");
            }
            return send("remove", path(tenant, connector), ids, chunk -> Map.of("remove", chunk, "reason", reason));
        }

        @Override
        String verbResult(JsonNode m) {
            return "removed";
        }
    }

    @Command(name = "reset-urls", description = "Issue new friend-add URLs (old ones stop working) for the members "
            + "named, or --all.")
    static final class ResetUrls extends Bulk {
        @Option(names = "--all", description = "every connected member")
        boolean all;

        @Override
        public Integer call() throws IOException {
            List<String> ids = allMembers();
            if (all && !ids.isEmpty()) {
                throw new AdminCli.UsageException("name members or give --all, not both");
            }
            if (!all && ids.isEmpty()) {
                throw new AdminCli.UsageException("name at least one member, or --all");
            }
            String p = path(tenant, connector) + ":reset-urls";
            if (all) {
                return send("reset-urls", p, List.of(), chunk -> {
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("all", true);
                    b.put("reason", reason);
                    return b;
                });
            }
            return send("reset-urls", p, ids, chunk -> Map.of("members", chunk, "reason", reason));
        }

        @Override
        String verbResult(JsonNode m) {
            return "new URL";
        }
    }
}
