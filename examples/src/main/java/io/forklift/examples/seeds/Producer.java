package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedQueue;

/** Puts 0..n-1 into the queue, blocking while it is full; returns n. */
public final class Producer implements Task<Producer.Args, Integer> {
    public record Args(SharedQueue<Integer> queue, int n) {}

    @Override
    public Integer call(Args a, TaskContext ctx) throws Exception {
        for (int i = 0; i < a.n(); i++) a.queue().put(i);
        return a.n();
    }
}
