package io.forklift.examples.tutorial;

import io.forklift.Task;
import io.forklift.TaskContext;

/** {@code x * x} and where it ran: the child's pid ({@code os.getpid()} in Python) and its worker. */
public final class SquareAndPid implements Task<Integer, SquareAndPid.Answer> {
    public record Answer(int x, int square, long pid, String workerId) {}

    @Override
    public Answer call(Integer x, TaskContext ctx) {
        return new Answer(x, x * x, ctx.pid(), ctx.workerId());
    }
}
