package io.forklift.cli.bench;

import io.forklift.Task;
import io.forklift.TaskContext;

/** The Process benchmark's target: prints one line, then sleeps {@code millis}. */
public final class Say implements Task<Long, Void> {
    @Override
    public Void call(Long millis, TaskContext ctx) throws InterruptedException {
        System.out.println("ready");
        Thread.sleep(millis);
        return null;
    }
}
