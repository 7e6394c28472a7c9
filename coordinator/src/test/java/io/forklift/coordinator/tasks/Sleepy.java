package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Sleeps the given milliseconds, then returns them: a result that arrives later, for long polls and streams. */
public final class Sleepy implements Task<Long, Long> {
    @Override
    public Long call(Long millis, TaskContext ctx) throws InterruptedException {
        Thread.sleep(millis); // the simulated work
        return millis;
    }
}
