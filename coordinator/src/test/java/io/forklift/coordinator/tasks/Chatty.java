package io.forklift.coordinator.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Prints a greeting on stdout and a note on stderr, then returns it, or throws when asked to fail: a Process's lines. */
public final class Chatty implements Task<String, String> {
    @Override
    public String call(String who, TaskContext ctx) {
        System.out.println("hello " + who);
        System.err.println("note for " + who);
        if ("fail".equals(who)) throw new IllegalStateException("asked to fail");
        return "greeted " + who;
    }
}
