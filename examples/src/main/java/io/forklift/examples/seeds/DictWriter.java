package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedMap;

/** Python's {@code def f(d, l): d[1] = '1'; d['2'] = 2; d[0.25] = None; l.reverse()}. */
public final class DictWriter implements Task<DictWriter.Args, Boolean> {
    public record Args(SharedMap<Object, Object> d, SharedList<Object> l) {}

    @Override
    public Boolean call(Args a, TaskContext ctx) {
        a.d().put(1, "1");
        a.d().put("2", 2);
        a.d().put(0.25, null);
        a.l().reverse();
        return true;
    }
}
