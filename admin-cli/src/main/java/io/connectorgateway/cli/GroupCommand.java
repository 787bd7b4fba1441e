package io.connectorgateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: called on its own, it prints its usage and exits 1. */
abstract class GroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(((AdminCli) spec.root().userObject()).err);
        return AdminCli.USAGE;
    }
}
