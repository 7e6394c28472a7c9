package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedQueue;
import java.util.ArrayList;
import java.util.List;

/** Gets n values from the queue, blocking while it is empty; returns them in the order got. */
public final class Consumer implements Task<Consumer.Args, List<Integer>> {
    public record Args(SharedQueue<Integer> queue, int n) {}

    @Override
    public List<Integer> call(Args a, TaskContext ctx) throws Exception {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < a.n(); i++) got.add(a.queue().get());
        return got;
    }
}
