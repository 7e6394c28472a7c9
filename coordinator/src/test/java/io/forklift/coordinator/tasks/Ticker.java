package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Prints {@code n} lines 200 ms apart, each with the wall-clock millisecond it was printed at: lines to follow. */
public final class Ticker implements Task<Integer, Integer> {
    @Override
    public Integer call(Integer n, TaskContext ctx) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            System.out.println("tick " + i + " at " + System.currentTimeMillis());
            System.out.flush();
            Thread.sleep(200); // the pace a reader follows
        }
        return n;
    }
}
