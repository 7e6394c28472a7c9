package io.forklift.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An exception as it travels from a child back to the submitter: type, message, stack and cause.
 *
 * @param hierarchy the thrown class and its superclasses, most specific first, so a worker can
 *                  tell whether a failure is an {@code IOException} without loading its class;
 *                  null from a sender that does not send it
 */
public record RemoteError(String type, String message, List<Frame> stack, RemoteError cause, List<String> hierarchy) {
    private static final int MAX_CAUSES = 8;

    /** One stack frame of the remote exception. */
    public record Frame(String className, String method, String file, int line) {
        static Frame of(StackTraceElement e) {
            return new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
        }

        /** A frame as Java prints it; a frame missing its class or method (a foreign sender) shows "?". */
        public StackTraceElement toElement() {
            return new StackTraceElement(
                    className == null ? "?" : className, method == null ? "?" : method, file, line);
        }
    }

    public static RemoteError of(Throwable t) {
        return of(t, 0);
    }

    /** An error raised by Forklift itself (no stack worth sending), of a type known only by name. */
    public static RemoteError of(String type, String message) {
        return new RemoteError(type, message, List.of(), null, List.of(type));
    }

    /** An error raised by Forklift itself, of one of its own exception classes. */
    public static RemoteError of(Class<? extends Throwable> type, String message) {
        return new RemoteError(type.getName(), message, List.of(), null, hierarchy(type));
    }

    /** Whether the remote exception is of the named class or a subclass of it. */
    public boolean isA(String className) {
        return hierarchy == null ? className.equals(type) : hierarchy.contains(className);
    }

    public StackTraceElement[] stackTrace() {
        return stack == null
                ? new StackTraceElement[0]
                : stack.stream().map(Frame::toElement).toArray(StackTraceElement[]::new);
    }

    private static RemoteError of(Throwable t, int depth) {
        List<Frame> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) frames.add(Frame.of(e));
        RemoteError cause =
                t.getCause() != null && t.getCause() != t && depth < MAX_CAUSES ? of(t.getCause(), depth + 1) : null;
        return new RemoteError(t.getClass().getName(), t.getMessage(), frames, cause, hierarchy(t.getClass()));
    }

    private static List<String> hierarchy(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) names.add(c.getName());
        return names;
    }
}
