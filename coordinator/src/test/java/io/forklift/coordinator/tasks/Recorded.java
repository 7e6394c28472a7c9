package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends "n attempt pid millis" to a ledger file (opened for append, so lines from many children
 * never interleave) before sleeping, so a fault test counts executions outside Forklift.
 */
public final class Recorded implements Task<Recorded.Arg, Integer> {
    public record Arg(String ledger, int n, long sleepMs) {}

    @Override
    public Integer call(Arg arg, TaskContext ctx) throws Exception {
        String line = arg.n() + " " + ctx.attempt() + " " + ctx.pid() + " " + System.currentTimeMillis() + "\n";
        Files.write(
                Path.of(arg.ledger()),
                line.getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
        Thread.sleep(arg.sleepMs()); // the task's workload
        return arg.n();
    }
}
