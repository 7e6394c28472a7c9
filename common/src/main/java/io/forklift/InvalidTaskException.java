package io.forklift;

import io.forklift.wire.RemoteError;

/**
 * The task message could not be run as it was stored: not valid JSON, the wrong shape or version,
 * or larger than the worker accepts. It was dead-lettered with the reason (see {@code forklift dead
 * list}); nothing of it ran.
 */
public class InvalidTaskException extends RemoteTaskException {
    public InvalidTaskException(String taskId, RemoteError error) {
        super(taskId, error);
    }
}
