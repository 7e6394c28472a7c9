package io.forklift.cli.local;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Sleeps the given milliseconds: a child that is busy without using the CPU, for utilization checks. */
public final class Nap implements Task<Long, Long> {
    @Override
    public Long call(Long millis, TaskContext ctx) throws InterruptedException {
        Thread.sleep(millis); // the simulated work
        return millis;
    }
}
