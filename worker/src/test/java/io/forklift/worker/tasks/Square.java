package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Returns its argument squared. */
public final class Square implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer x, TaskContext ctx) {
        return x * x;
    }
}
