package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import io.connectorgateway.contracts.Plan;
import io.connectorgateway.contracts.settings.PermissionMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "impact", description = "Preview how many rooms a change would drop, and whose; changes nothing.")
final class ImpactCommand extends ApiCommand {
    @Option(names = {"-t", "--tenant"}, required = true)
    String tenant;

    @Option(names = {"-c", "--connector"}, required = true)
    Connector connector;

    @Option(names = "--disable", description = "turn the connector off")
    boolean disable;

    @Option(names = "--mode", description = "switch the permission mode")
    PermissionMode mode;

    @Option(names = "--plan", description = "change the tenant's plan")
    Plan plan;

    @Option(names = "--remove", split = ",", description = "members to remove from the list")
    List<String> remove;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (disable) {
            body.put("enabled", false);
        }
        if (mode != null) {
            body.put("permissionMode", mode);
        }
        if (plan != null) {
            body.put("plan", plan);
        }
        if (remove != null) {
            body.put("removeMembers", remove);
        }
        if (body.isEmpty()) {
            throw new AdminCli.UsageException("say what to preview: --disable, --mode, --plan or --remove");
        }
        var a = client().call("POST", "/admin/v1/tenants/" + AdminClient.seg(tenant) + "/connectors/" + connector
                + "/impact", body);
        if (!a.ok()) {
            return fail(a);
        }
        if (json) {
            printJson(a.body());
            return AdminCli.OK;
        }
        JsonNode r = a.body();
        out().println(r.path("roomsDropped").asInt() + " of " + r.path("openRooms").asInt()
                + " open rooms would be dropped");
        Table t = new Table("MEMBER", "ROOMS", "REASON");
        for (JsonNode m : r.path("members")) {
            t.row(text(m, "memberId"), text(m, "rooms"), text(m, "reason"));
        }
        t.print(out());
        return AdminCli.OK;
    }
}
