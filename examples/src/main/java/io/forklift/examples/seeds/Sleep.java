package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Python's {@code time.sleep(seconds)} as a Process's target. */
public final class Sleep implements Task<Integer, Void> {
    @Override
    public Void call(Integer seconds, TaskContext ctx) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
        return null;
    }
}
