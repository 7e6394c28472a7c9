package io.forklift.daemon;

import io.forklift.ForkliftException;
import picocli.CommandLine;

/**
 * How the {@code forklift} commands report a failure: a refusal or bad setting (a Forklift error,
 * a bad argument, a state Forklift refuses) is one line that says what to do, exit 1; anything else
 * is a bug and keeps its stack trace.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ForkliftException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            // the whole command, as typed ("forklift queue delete"), whether run under forklift or alone
            String name = cmd.getCommandSpec().qualifiedName();
            if (!name.startsWith("forklift")) name = "forklift " + name;
            cmd.getErr().println(name + ": " + e.getMessage());
        } else {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    /** A command line for {@code command} with this handler. */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command).setExecutionExceptionHandler(new CommandErrors());
    }
}
