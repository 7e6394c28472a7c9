package io.forklift;

import io.forklift.wire.RemoteError;

/**
 * The worker that took the task has no task registered under that name. The message names the task,
 * the queue and the worker; register the task class in {@code META-INF/services/io.forklift.Task} of
 * a jar on the worker's class path or in its {@code --tasks} folder.
 */
public class UnknownTaskException extends RemoteTaskException {
    public UnknownTaskException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
