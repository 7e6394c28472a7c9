package io.forklift.wire;

/**
 * What makes a task message a Process (Python's {@code multiprocessing.Process}) rather than a pool
 * task: its name, its daemon flag, and who started it. Null in a pool task's message.
 *
 * @param name       the process's name, as Python's {@code Process.name}
 * @param daemon     whether it ends when its starter ends (see {@code ForkliftProcess.daemon})
 * @param parentPid  the OS pid of the program or child that started it
 * @param parentHost the host of that program
 */
public record ProcessSpec(String name, boolean daemon, long parentPid, String parentHost) {
    /** The longest name kept; a name is printed before every line the process prints. */
    public static final int MAX_NAME = 200;

    public ProcessSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a process name must not be blank");
        if (name.length() > MAX_NAME)
            throw new IllegalArgumentException(
                    "a process name may have at most " + MAX_NAME + " characters, got " + name.length());
    }
}
