package io.forklift;

import io.forklift.wire.RemoteError;

/** A task ran past its pool's time limit; the worker killed its child's whole process tree. */
public class TaskTimeoutException extends RemoteTaskException {
    public TaskTimeoutException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
