package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Plan;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", description = "Change a tenant's plan (operator credential).", subcommands = PlanCommand.Set.class)
final class PlanCommand extends GroupCommand {

    @Command(name = "set", description = "Set the plan on both connectors of a tenant.")
    static final class Set extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = "--plan", required = true, description = "FREE, LITE, BASIC or ADVANCED")
        Plan plan;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public Integer call() {
            var a = client().call("PUT", "/admin/v1/tenants/" + AdminClient.seg(tenant) + "/plan",
                    Map.of("plan", plan, "reason", reason));
            if (!a.ok()) {
                return fail(a);
            }
            if (json) {
                printJson(a.body());
                return AdminCli.OK;
            }
            Table t = new Table("CONNECTOR", "PLAN", "VERSION", "ENABLED");
            for (JsonNode s : a.body().path("settings")) {
                t.row(text(s, "connector"), text(s, "plan"), text(s, "version"), text(s, "enabled"));
            }
            t.print(out());
            return AdminCli.OK;
        }
    }
}
