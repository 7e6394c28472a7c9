package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Python's {@code def f(name): print('hello', name)}. */
public final class Hello implements Task<String, Void> {
    @Override
    public Void call(String name, TaskContext ctx) {
        System.out.println("hello " + name);
        return null;
    }
}
