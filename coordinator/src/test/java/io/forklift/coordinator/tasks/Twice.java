package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Doubles its argument; a negative one fails the task, for the error path. */
public final class Twice implements Task<Long, Long> {
    @Override
    public Long call(Long n, TaskContext ctx) {
        if (n < 0) throw new IllegalStateException("negative: " + n);
        return 2 * n;
    }
}
