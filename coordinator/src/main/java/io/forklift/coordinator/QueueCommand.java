package io.forklift.coordinator;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code forklift queue …}: an operator's settings of a queue; each action lives in its own class. */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        description = "Change a queue's settings, or delete it.",
        subcommands = {QueueSetCommand.class, QueueDeleteCommand.class})
public final class QueueCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
