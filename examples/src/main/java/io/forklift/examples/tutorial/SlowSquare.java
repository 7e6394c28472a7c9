package io.forklift.examples.tutorial;

import io.forklift.Task;
import io.forklift.TaskContext;

/** {@code x * x}, after 20–200 ms that depend on {@code x}, so results finish out of order. */
public final class SlowSquare implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer x, TaskContext ctx) throws InterruptedException {
        Thread.sleep(20 + (x * 37L % 10) * 20); // the simulated work
        return x * x;
    }
}
