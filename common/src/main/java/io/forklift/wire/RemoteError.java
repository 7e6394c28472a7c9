package io.forklift.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An exception as it travels from a child back to the submitter: type, message, stack and cause.
 */
public record RemoteError(String type, String message, List<Frame> stack, RemoteError cause) {
    private static final int MAX_CAUSES = 8;

    /** One stack frame of the remote exception. */
    public record Frame(String className, String method, String file, int line) {
        static Frame of(StackTraceElement e) {
            return new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
        }

        /** A frame as Java prints it; a frame missing its class or method (a foreign sender) shows "?". */
        public StackTraceElement toElement() {
            return new StackTraceElement(className == null ? "?" : className, method == null ? "?" : method, file, line);
        }
    }

    public static RemoteError of(Throwable t) {
        return of(t, 0);
    }

    /** An error raised by Forklift itself (no stack worth sending). */
    public static RemoteError of(String type, String message) {
        return new RemoteError(type, message, List.of(), null);
    }

    private static RemoteError of(Throwable t, int depth) {
        List<Frame> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) frames.add(Frame.of(e));
        RemoteError cause = t.getCause() != null && t.getCause() != t && depth < MAX_CAUSES ? of(t.getCause(), depth + 1) : null;
        return new RemoteError(t.getClass().getName(), t.getMessage(), frames, cause);
    }

    public StackTraceElement[] stackTrace() {
        return stack == null ? new StackTraceElement[0] : stack.stream().map(Frame::toElement).toArray(StackTraceElement[]::new);
    }
}
