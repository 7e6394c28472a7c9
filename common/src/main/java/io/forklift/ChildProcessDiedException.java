package io.forklift;

import io.forklift.wire.RemoteError;

/** The child process running a task exited (crashed, was killed, ran out of memory); the message has its exit code. */
public class ChildProcessDiedException extends RemoteTaskException {
    public ChildProcessDiedException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
