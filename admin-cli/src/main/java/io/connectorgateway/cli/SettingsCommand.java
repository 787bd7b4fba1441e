package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.event.AttachmentKind;
import io.connectorgateway.contracts.settings.AttachmentAction;
import io.connectorgateway.contracts.settings.PermissionMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "settings", description = "Read or change a connector's settings.",
        subcommands = {SettingsCommand.Get.class, SettingsCommand.Set.class})
final class SettingsCommand extends GroupCommand {

    static String path(String tenant, Connector connector) {
        return "/admin/v1/tenants/" + AdminClient.seg(tenant) + "/connectors/" + connector + "/settings";
    }

    static void printSettings(ApiCommand c, JsonNode s) {
        JsonNode g = s.path("greeting");
        JsonNode a = s.path("attachments");
        new Table("FIELD", "VALUE")
                .row("tenant", text(s, "tenant"))
                .row("connector", text(s, "connector"))
                .row("version", text(s, "version"))
                .row("plan", text(s, "plan"))
                .row("enabled", text(s, "enabled"))
                .row("permissionMode", text(s, "permissionMode"))
                .row("autoGrantNewMembers", text(s, "autoGrantNewMembers"))
                .row("greeting.enabled", text(g, "enabled"))
                .row("greeting.text", text(g, "text"))
                .row("greeting.salesInfo", text(g, "salesInfo"))
                .row("attachments.enabled", text(a, "enabled"))
                .row("attachments.action", text(a, "action"))
                .row("attachments.kinds", a.path("kinds").toString())
                .row("changed by", s.path("change").path("actor").path("id").asText(null))
                .row("reason", s.path("change").path("reason").asText(null))
                .print(c.out());
    }

    private static String text(JsonNode n, String f) {
        return ApiCommand.text(n, f);
    }

    @Command(name = "get", description = "Show the settings of a tenant's connector.")
    static final class Get extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = {"-c", "--connector"}, required = true, description = "LINE or WORKS")
        Connector connector;

        @Override
        public Integer call() {
            var a = client().call("GET", path(tenant, connector), null);
            if (!a.ok()) {
                return fail(a);
            }
            if (json) {
                printJson(a.body());
            } else {
                printSettings(this, a.body());
            }
            return AdminCli.OK;
        }
    }

    @Command(name = "set", description = "Change some settings of a tenant's connector (versioned: refused with exit 4 "
            + "if someone changed them since --if-version; without it, the version read just before is used).")
    static final class Set extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = {"-c", "--connector"}, required = true, description = "LINE or WORKS")
        Connector connector;

        @Option(names = "--reason", required = true, description = "why (goes to the audit trail)")
        String reason;

        @Option(names = "--if-version", description = "the version you edited")
        Long ifVersion;

        @Option(names = "--enabled", arity = "1")
        Boolean enabled;

        @Option(names = "--mode", description = "ALL_MEMBERS or BY_MEMBER")
        PermissionMode mode;

        @Option(names = "--auto-grant", arity = "1", description = "auto-grant new members (BY_MEMBER only)")
        Boolean autoGrant;

        @Option(names = "--greeting", arity = "1", description = "automatic greeting on/off (LINE)")
        Boolean greeting;

        @Option(names = "--greeting-text")
        String greetingText;

        @Option(names = "--greeting-text-file", description = "read the greeting text from a UTF-8 file")
        Path greetingTextFile;

        @Option(names = "--sales-info")
        String salesInfo;

        @Option(names = "--attachments", arity = "1", description = "restrict file transfer / attachments on/off")
        Boolean attachments;

        @Option(names = "--attachment-action", description = "STRIP or BLOCK")
        AttachmentAction attachmentAction;

        @Option(names = "--attachment-kinds", split = ",", description = "restricted kinds, comma-separated")
        List<AttachmentKind> attachmentKinds;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            put(body, "enabled", enabled);
            put(body, "permissionMode", mode);
            put(body, "autoGrantNewMembers", autoGrant);
            String text = greetingText;
            if (greetingTextFile != null) {
                if (text != null) {
                    throw new AdminCli.UsageException("give --greeting-text or --greeting-text-file, not both");
                }
                text = Files.readString(greetingTextFile, StandardCharsets.UTF_8);
            }
            Map<String, Object> g = new LinkedHashMap<>();
            put(g, "enabled", greeting);
            put(g, "text", text);
            put(g, "salesInfo", salesInfo);
            if (!g.isEmpty()) {
                body.put("greeting", g);
            }
            Map<String, Object> att = new LinkedHashMap<>();
            put(att, "enabled", attachments);
            put(att, "action", attachmentAction);
            put(att, "kinds", attachmentKinds);
            if (!att.isEmpty()) {
                body.put("attachments", att);
            }
            if (body.isEmpty()) {
                throw new AdminCli.UsageException("nothing to change: give at least one setting option");
            }
            body.put("reason", reason);
            AdminClient client = client();
            long version;
            if (ifVersion != null) {
                version = ifVersion;
            } else {
                var current = client.call("GET", path(tenant, connector), null);
                if (!current.ok()) {
                    return fail(current);
                }
                version = current.body().path("version").asLong();
            }
            var a = client.call("PATCH", path(tenant, connector), body, Map.of("If-Match", "\"" + version + "\""),
                    Duration.ofSeconds(60));
            if (!a.ok()) {
                return fail(a);
            }
            if (json) {
                printJson(a.body());
            } else {
                printSettings(this, a.body());
            }
            return AdminCli.OK;
        }

        private static void put(Map<String, Object> m, String k, Object v) {
            if (v != null) {
                m.put(k, v);
            }
        }
    }
}
