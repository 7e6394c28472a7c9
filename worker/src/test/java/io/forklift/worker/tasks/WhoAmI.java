package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Returns what the task context says about where and how it ran. */
public final class WhoAmI implements Task<Integer, WhoAmI.Seen> {
    /** The task's context, as the child saw it. */
    public record Seen(long pid, String taskId, String queue, String workerId, int attempt) {}

    @Override
    public Seen call(Integer ignored, TaskContext ctx) {
        return new Seen(ctx.pid(), ctx.taskId(), ctx.queue(), ctx.workerId(), ctx.attempt());
    }
}
