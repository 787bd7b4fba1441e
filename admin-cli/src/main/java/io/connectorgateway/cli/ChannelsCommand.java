package io.connectorgateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectorgateway.contracts.Connector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code channels}: the registry of LINE channels and WORKS bots. Secrets and access tokens are
 * read from environment variables named on the command line (never from arguments, which other
 * users see in the process list and the shell keeps in its history); answers show fingerprints.
 */
@Command(name = "channels", description = "Register, rotate and retire members' LINE channels and WORKS bots.",
        subcommands = {ChannelsCommand.ListChannels.class, ChannelsCommand.Show.class, ChannelsCommand.Register.class,
                ChannelsCommand.Rotate.class, ChannelsCommand.Retire.class})
final class ChannelsCommand extends GroupCommand {

    /** Options of every channels subcommand: which tenant and connector. */
    abstract static class ChannelCommand extends ApiCommand {
        @Option(names = {"-t", "--tenant"}, required = true)
        String tenant;

        @Option(names = {"-c", "--connector"}, required = true)
        Connector connector;

        String base() {
            return "/admin/v1/tenants/" + AdminClient.seg(tenant) + "/connectors/" + connector;
        }

        /** The value of environment variable {@code name}, which must be set. */
        String fromEnv(String option, String name) {
            String v = root().env.get(name);
            if (v == null || v.isBlank()) {
                throw new AdminCli.UsageException(option + " names " + name + ", which is not set in the environment");
            }
            return v.trim();
        }

        int show(AdminClient.Answer a, List<JsonNode> channels) {
            if (!a.ok()) {
                return fail(a);
            }
            if (json) {
                printJson(a.body());
                return AdminCli.OK;
            }
            Table t = new Table("MEMBER", "STATUS", "CHANNEL", "DESTINATION", "SECRETS", "TOKEN", "KEY", "VERSION", "WEBHOOK");
            for (JsonNode c : channels) {
                List<String> fps = new ArrayList<>();
                c.path("secretFingerprints").forEach(f -> fps.add(f.asText()));
                t.row(text(c, "memberId"), text(c, "status"), text(c, "channelId"), text(c, "destination"), String.join(" ", fps),
                        text(c, "accessTokenFingerprint"), text(c, "keyId"), text(c, "version"), text(c, "webhookPath"));
            }
            t.print(out());
            return AdminCli.OK;
        }
    }

    /** A subcommand about one member's channel. */
    abstract static class MemberChannelCommand extends ChannelCommand {
        @Option(names = {"-m", "--member"}, required = true)
        String member;

        String path() {
            return base() + "/members/" + AdminClient.seg(member) + "/channel";
        }

        int call(String method, String suffix, Map<String, Object> body) {
            var a = client().call(method, path() + suffix, body);
            return show(a, a.ok() ? List.of(a.body()) : List.of());
        }
    }

    @Command(name = "list", description = "Every member's channel or bot: status, fingerprints, webhook path.")
    static final class ListChannels extends ChannelCommand {
        @Override
        public Integer call() {
            var a = client().call("GET", base() + "/channels", null);
            List<JsonNode> rows = new ArrayList<>();
            if (a.ok()) {
                a.body().path("channels").forEach(rows::add);
            }
            return show(a, rows);
        }
    }

    @Command(name = "show", description = "One member's channel or bot, with its previous ones (--json).")
    static final class Show extends MemberChannelCommand {
        @Override
        public Integer call() {
            return call("GET", "", null);
        }
    }

    @Command(name = "register", description = "Register (or replace) a member's LINE channel / WORKS bot.")
    static final class Register extends MemberChannelCommand {
        @Option(names = "--channel-id", required = true, description = "LINE channel id / WORKS bot id")
        String channelId;

        @Option(names = "--destination", description = "LINE: the channel bot's user id (webhook 'destination')")
        String destination;

        @Option(names = "--friend-link", description = "LINE: the channel's friend-add link (https://line.me/R/ti/p/...)")
        String friendLink;

        @Option(names = "--secret-env", required = true, description = "environment variable holding the channel / bot secret (repeat for two)")
        List<String> secretEnv;

        @Option(names = "--access-token-env", description = "LINE: environment variable holding the channel access token")
        String accessTokenEnv;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("channelId", channelId);
            body.put("destination", destination);
            body.put("friendLink", friendLink);
            body.put("secrets", secretEnv.stream().map(v -> fromEnv("--secret-env", v)).toList());
            body.put("accessToken", accessTokenEnv == null ? null : fromEnv("--access-token-env", accessTokenEnv));
            body.put("reason", reason);
            return call("PUT", "", body);
        }
    }

    @Command(name = "rotate", description = "Add a secret, remove one (by fingerprint), replace the access token; re-seals under the current key.")
    static final class Rotate extends MemberChannelCommand {
        @Option(names = "--add-secret-env", description = "environment variable holding the new secret")
        String addSecretEnv;

        @Option(names = "--remove-secret", description = "fingerprint of the secret to remove (sha256:...)")
        String removeSecret;

        @Option(names = "--access-token-env", description = "LINE: environment variable holding the new access token")
        String accessTokenEnv;

        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("addSecret", addSecretEnv == null ? null : fromEnv("--add-secret-env", addSecretEnv));
            body.put("removeSecret", removeSecret);
            body.put("accessToken", accessTokenEnv == null ? null : fromEnv("--access-token-env", accessTokenEnv));
            body.put("reason", reason);
            return call("POST", ":rotate", body);
        }
    }

    @Command(name = "retire", description = "Retire a member's channel / bot (kept only to refuse and audit follows through it).")
    static final class Retire extends MemberChannelCommand {
        @Option(names = "--reason", required = true)
        String reason;

        @Override
        public Integer call() {
            return call("POST", ":retire", Map.of("reason", reason));
        }
    }
}
