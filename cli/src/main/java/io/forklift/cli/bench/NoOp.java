package io.forklift.cli.bench;

import io.forklift.Task;
import io.forklift.TaskContext;

/** The benchmark's task: returns its argument, so only Forklift's own overhead is measured. */
public final class NoOp implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer arg, TaskContext ctx) {
        return arg;
    }
}
