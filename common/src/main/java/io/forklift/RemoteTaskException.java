package io.forklift;

import io.forklift.wire.RemoteError;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A task failed where it ran. Carries the remote exception's type, message and stack trace (set as
 * this exception's own stack trace, so a logged trace shows where the child failed), and its cause
 * chain as further {@code RemoteTaskException}s.
 */
public class RemoteTaskException extends ForkliftException {
    private final String remoteType;
    private final String remoteMessage;
    private final String taskId;

    public RemoteTaskException(String taskId, RemoteError error) {
        super(
                error.type() + (error.message() == null ? "" : ": " + error.message()),
                error.cause() == null ? null : new RemoteTaskException(taskId, error.cause()));
        this.remoteType = error.type();
        this.remoteMessage = error.message();
        this.taskId = taskId;
        setStackTrace(error.stackTrace());
    }

    /** Binary name of the exception class thrown remotely, e.g. {@code java.io.IOException}. */
    public String remoteType() {
        return remoteType;
    }

    public String remoteMessage() {
        return remoteMessage;
    }

    public String taskId() {
        return taskId;
    }

    /** Forklift's own failures, by the type name a worker or a script sends, each to its own subclass. */
    private static final Map<String, BiFunction<String, RemoteError, RemoteTaskException>> OWN = Map.of(
            UnknownTaskException.class.getName(), UnknownTaskException::new,
            InvalidTaskException.class.getName(), InvalidTaskException::new,
            TaskTimeoutException.class.getName(), TaskTimeoutException::new,
            ChildProcessDiedException.class.getName(), ChildProcessDiedException::new,
            LeaseExpiredException.class.getName(), LeaseExpiredException::new,
            ResultTooLargeException.class.getName(), ResultTooLargeException::new);

    /** The exception for a remote error: Forklift's own error types map to their own subclasses. */
    public static RemoteTaskException of(String taskId, RemoteError error) {
        return OWN.getOrDefault(error.type(), RemoteTaskException::new).apply(taskId, error);
    }
}
