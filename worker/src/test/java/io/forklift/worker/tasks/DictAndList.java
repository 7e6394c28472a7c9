package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedMap;
import io.forklift.manager.SharedValue;

/** Python's Manager example: d[1] = '1'; d['2'] = 2; d[0.25] = None; l.reverse(); and counts its runs. */
public final class DictAndList implements Task<DictAndList.Args, Long> {
    public record Args(SharedMap<Object, Object> d, SharedList<Integer> l, SharedValue<Long> runs) {}

    @Override
    public Long call(Args a, TaskContext ctx) {
        a.d().put(1, "1");
        a.d().put("2", 2);
        a.d().put(0.25, null);
        a.l().reverse();
        return a.runs().incrementAndGet();
    }
}
