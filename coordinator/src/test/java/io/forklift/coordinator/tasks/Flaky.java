package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records each run in a ledger like {@link Recorded}, then fails until its attempt reaches
 * {@code succeedOnAttempt}: by throwing, or by killing its own child process.
 */
public final class Flaky implements Task<Flaky.Arg, Integer> {
    public record Arg(String ledger, int n, int succeedOnAttempt, boolean killChild) {}

    @Override
    public Integer call(Arg arg, TaskContext ctx) throws Exception {
        String line = arg.n() + " " + ctx.attempt() + " " + ctx.pid() + " " + System.currentTimeMillis() + "\n";
        Files.write(
                Path.of(arg.ledger()),
                line.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
        if (ctx.attempt() < arg.succeedOnAttempt()) {
            if (arg.killChild()) Runtime.getRuntime().halt(1);
            throw new IllegalStateException("attempt " + ctx.attempt() + " fails on purpose");
        }
        return arg.n();
    }
}
