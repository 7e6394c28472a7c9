package io.forklift.examples.tutorial;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Python's {@code def f(x): return x * x}. */
public final class Square implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer x, TaskContext ctx) {
        return x * x;
    }
}
