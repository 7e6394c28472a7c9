package io.forklift.cli;

import io.forklift.cli.bench.BenchCommand;
import io.forklift.cli.local.LocalCommand;
import io.forklift.coordinator.CoordinatorCommand;
import io.forklift.coordinator.DeadCommand;
import io.forklift.coordinator.ObjectsCommand;
import io.forklift.coordinator.QueueCommand;
import io.forklift.coordinator.StatusCommand;
import io.forklift.coordinator.TokenCommand;
import io.forklift.daemon.CommandErrors;
import io.forklift.worker.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code forklift} command: one entry point for every role. */
@Command(
        name = "forklift",
        mixinStandardHelpOptions = true,
        version = "forklift 0.1.0",
        description = "Python's multiprocessing, distributed over Redis.",
        subcommands = {
            WorkerCommand.class,
            CoordinatorCommand.class,
            StatusCommand.class,
            DeadCommand.class,
            QueueCommand.class,
            TokenCommand.class,
            ObjectsCommand.class,
            LocalCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class ForkliftCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(CommandErrors.commandLine(new ForkliftCommand()).execute(args));
    }
}
