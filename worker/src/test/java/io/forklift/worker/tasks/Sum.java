package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.util.List;

/** Adds up its arguments: the target of {@code starmap}, whose tuples arrive as one list. */
public final class Sum implements Task<List<Integer>, Integer> {
    @Override
    public Integer call(List<Integer> terms, TaskContext ctx) {
        return terms.stream().mapToInt(Integer::intValue).sum();
    }
}
