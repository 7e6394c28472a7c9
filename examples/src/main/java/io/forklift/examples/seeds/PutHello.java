package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedQueue;
import java.util.Arrays;

/** Python's {@code def f(q): q.put([42, None, 'hello'])}. */
public final class PutHello implements Task<SharedQueue<Object>, Boolean> {
    @Override
    public Boolean call(SharedQueue<Object> q, TaskContext ctx) throws Exception {
        q.put(Arrays.asList(42, null, "hello"));
        return true;
    }
}
