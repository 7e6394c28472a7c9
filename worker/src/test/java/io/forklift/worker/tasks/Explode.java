package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.io.IOException;

/** Always fails, from a method of its own: {@link IllegalStateException} with the argument as message, caused by an {@link IOException}. */
public final class Explode implements Task<String, Void> {
    public static final String CAUSE_MESSAGE = "disk on fire";

    @Override
    public Void call(String message, TaskContext ctx) {
        return explode(message);
    }

    private Void explode(String message) {
        throw new IllegalStateException(message, new IOException(CAUSE_MESSAGE));
    }
}
