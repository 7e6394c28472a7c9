package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Returns its argument, read as a plain {@code Object}: the type a polymorphic-typing attack needs. */
public final class Echo implements Task<Object, Object> {
    @Override
    public Object call(Object arg, TaskContext ctx) {
        return arg;
    }
}
