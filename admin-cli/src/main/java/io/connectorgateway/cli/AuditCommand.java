package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.audit.AuditKind;
import io.connectorgateway.contracts.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Search and follow the audit trail.",
        subcommands = {AuditCommand.Search.class, AuditCommand.Tail.class, AuditVerifyCommand.class})
final class AuditCommand extends GroupCommand {

    /** The filters search and tail share. */
    abstract static class Filtered extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = "--room")
        String room;

        @Option(names = "--member")
        String member;

        @Option(names = "--external-user")
        String externalUser;

        @Option(names = "--kind", description = "DELIVERED, REFUSED, ROOM_DROPPED, SETTINGS_CHANGED, ...")
        AuditKind kind;

        @Option(names = {"-c", "--connector"})
        Connector connector;

        Map<String, Object> filters() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("room", room);
            q.put("member", member);
            q.put("externalUser", externalUser);
            q.put("kind", kind);
            q.put("connector", connector);
            return q;
        }

        String base() {
            return "/admin/v1/tenants/" + AdminClient.seg(tenant);
        }

        static Table table() {
            return new Table("TIME", "KIND", "RULE", "CONN", "ROOM", "MEMBER", "EXTERNAL", "ACTOR", "DETAIL");
        }

        static void row(Table t, JsonNode r) {
            String detail;
            JsonNode msg = r.get("message");
            if (msg != null && msg.path("unsent").asBoolean()) {
                detail = "(unsent)";
            } else if (msg != null && msg.hasNonNull("text")) {
                detail = "\"" + msg.get("text").asText() + "\"" + (msg.path("attachments").isEmpty() ? ""
                        : " +" + msg.path("attachments").size() + " attachment(s)");
            } else {
                detail = text(r, "reason");
            }
            t.row(Instant.ofEpochMilli(r.path("timestamp").asLong()), text(r, "kind"), text(r, "rule"), text(r, "connector"),
                    text(r, "roomId"), text(r, "memberId"), text(r, "externalUserId"),
                    r.path("actor").path("id").asText(null), detail);
        }
    }

    @Command(name = "search", description = "Audit records, newest first, with conversation content where there is some.")
    static final class Search extends Filtered {
        @Option(names = "--from", description = "epoch ms or ISO-8601 instant (inclusive)")
        String from;

        @Option(names = "--to", description = "epoch ms or ISO-8601 instant (inclusive)")
        String to;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Option(names = "--cursor", description = "continue after a previous page")
        String cursor;

        @Option(names = "--pages", defaultValue = "1", description = "pages to fetch (default ${DEFAULT-VALUE})")
        int pages;

        @Override
        public Integer call() {
            AdminClient client = client();
            ArrayNode items = Json.mapper().createArrayNode();
            String next = cursor;
            for (int p = 0; p < pages; p++) {
                Map<String, Object> q = filters();
                q.put("from", from);
                q.put("to", to);
                q.put("limit", limit);
                q.put("cursor", next);
                var a = client.call("GET", base() + "/audit" + AdminClient.query(q), null);
                if (!a.ok()) {
                    return fail(a);
                }
                items.addAll((ArrayNode) a.body().path("items"));
                next = text(a.body(), "nextCursor");
                if (next == null) {
                    break;
                }
            }
            if (json) {
                ObjectNode o = Json.mapper().createObjectNode();
                o.set("items", items);
                if (next != null) {
                    o.put("nextCursor", next);
                }
                printJson(o);
                return AdminCli.OK;
            }
            Table t = table();
            items.forEach(r -> row(t, r));
            t.print(out());
            if (next != null) {
                err().println("more: --cursor " + next);
                err().flush();
            }
            return AdminCli.OK;
        }
    }

    @Command(name = "tail", description = "Follow new audit records as they arrive (long-poll), same filters as search.")
    static final class Tail extends Filtered {
        @Option(names = "--cursor", description = "start from a cursor (default: now)")
        String cursor;

        @Option(names = "--max-records", description = "stop after this many records")
        Integer maxRecords;

        @Option(names = "--duration", description = "stop after this many seconds")
        Integer duration;

        @Option(names = "--wait", defaultValue = "25", description = "seconds one poll may wait (default ${DEFAULT-VALUE})")
        int wait;

        @Override
        public Integer call() {
            AdminClient client = client();
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(duration).toNanos();
            String position = cursor;
            int seen = 0;
            boolean header = true;
            while (System.nanoTime() < deadline && (maxRecords == null || seen < maxRecords)) {
                long leftSeconds = duration == null ? wait : Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L);
                Map<String, Object> q = filters();
                q.put("cursor", position);
                q.put("waitSeconds", position == null ? 0 : Math.min(wait, leftSeconds));
                var a = client.call("GET", base() + "/audit:tail" + AdminClient.query(q), null, Map.of(),
                        Duration.ofSeconds(wait + 30L));
                if (!a.ok()) {
                    return fail(a);
                }
                position = text(a.body(), "cursor");
                if (a.body().path("gap").asBoolean()) {
                    err().println("warning: records were missed (the server's tail buffer moved on); use audit search");
                    err().flush();
                }
                for (JsonNode r : a.body().path("items")) {
                    if (maxRecords != null && seen >= maxRecords) {
                        break;
                    }
                    seen++;
                    if (json) {
                        out().println(r.toString());
                    } else {
                        Table t = table();
                        row(t, r);
                        printRow(t, header);
                        header = false;
                    }
                }
                out().flush();
            }
            return AdminCli.OK;
        }

        private void printRow(Table t, boolean withHeader) {
            java.io.StringWriter s = new java.io.StringWriter();
            t.print(new java.io.PrintWriter(s));
            String[] lines = s.toString().split("\n");
            out().println(withHeader ? String.join("\n", lines) : lines[lines.length - 1]);
        }
    }
}
