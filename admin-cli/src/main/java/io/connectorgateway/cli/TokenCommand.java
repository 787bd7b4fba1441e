package io.connectorgateway.cli;

import io.connectorgateway.contracts.Actor;
import io.connectorgateway.contracts.AdminTokens;
import io.connectorgateway.contracts.Ids;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "token", description = "Make credentials (locally; nothing is sent).", subcommands = TokenCommand.Generate.class)
final class TokenCommand extends GroupCommand {

    @Command(name = "generate", description = "Print a new random token and the gateway.admin.credentials entry "
            + "(which holds only its SHA-256) to configure for it.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--id", required = true, description = "who the credential is for (shown as the actor)")
        String id;

        @Option(names = "--role", defaultValue = "TENANT_ADMIN", description = "TENANT_ADMIN, AUDITOR or OPERATOR")
        Actor.Role role;

        @Option(names = "--tenant", description = "the tenant (TENANT_ADMIN and AUDITOR)")
        String tenant;

        @Override
        public Integer call() {
            AdminCli root = (AdminCli) spec.root().userObject();
            boolean tenantBound = role == Actor.Role.TENANT_ADMIN || role == Actor.Role.AUDITOR;
            if (!Ids.isValid(id) || (role != Actor.Role.OPERATOR && !tenantBound) || (tenantBound && !Ids.isValid(tenant))) {
                throw new AdminCli.UsageException("need a valid --id, --role TENANT_ADMIN or AUDITOR with --tenant, "
                        + "or --role OPERATOR");
            }
            String token = AdminTokens.newToken();
            root.out.println("token:      " + token);
            root.out.println("credential: " + id + ":" + role + ":" + (role == Actor.Role.OPERATOR ? "*" : tenant) + ":"
                    + AdminTokens.sha256Hex(token));
            root.out.flush();
            return AdminCli.OK;
        }
    }
}
