package io.forklift.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kills a child JVM and everything it started, including processes that left its tree: a
 * double-forked grandchild is re-parented away from the child (so {@link ProcessHandle#descendants()}
 * misses it), and one that called setsid has left the child's session as well. Each child runs in a
 * session of its own ({@link ChildLauncher} starts it through {@code setsid}) and carries an
 * environment variable, {@value #TAG_VARIABLE}, unique to it, which every process it starts inherits
 * (Jenkins's ProcessTreeKiller finds a build's processes the same way). {@link #kill} sends SIGKILL
 * to the child's descendants, to every process in its session and to every process carrying its tag,
 * found in {@code /proc}, and scans again until none is left. A process that both calls setsid and
 * clears its environment still escapes; only a cgroup holds that one.
 */
final class ProcessTree {
    /** The environment variable that marks every process of one child. */
    static final String TAG_VARIABLE = "FORKLIFT_CHILD_TAG";

    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 100;

    private ProcessTree() {}

    /**
     * SIGTERMs {@code child}, its descendants, its session and every process tagged {@code tag}, once:
     * what ignores it is left for a {@link #kill} after a grace period.
     */
    static void terminate(Process child, String tag) {
        child.descendants().forEach(ProcessHandle::destroy);
        child.destroy();
        if (!Files.isDirectory(PROC)) return;
        byte[] marker = (TAG_VARIABLE + "=" + tag).getBytes(StandardCharsets.UTF_8);
        for (long pid : scan(child.pid(), marker, ProcessHandle.current().pid())) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    /** SIGKILLs {@code child}, its descendants, its session and every process tagged {@code tag}. */
    static void kill(Process child, String tag) {
        long session = child.pid(); // setsid made the child its session's leader
        byte[] marker = (TAG_VARIABLE + "=" + tag).getBytes(StandardCharsets.UTF_8);
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
        if (!Files.isDirectory(PROC)) return;
        long self = ProcessHandle.current().pid();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Long> found = scan(session, marker, self);
            if (found.isEmpty()) return;
            // one that forked while we looked is found on the next round
            found.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Live (not zombie) processes in {@code session} or whose environment holds {@code marker}. */
    private static List<Long> scan(long session, byte[] marker, long self) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : entries) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) continue;
                Optional<String[]> stat = stat(dir);
                if (stat.isEmpty() || stat.get()[0].equals("Z")) continue; // gone, or dead and awaiting its parent
                if (Long.parseLong(stat.get()[3]) == session || environHas(dir, marker)) found.add(pid);
            }
        } catch (IOException | RuntimeException e) {
            // /proc changes under us; what this round missed, the next finds
        }
        return found;
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, … */
    private static Optional<String[]> stat(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static boolean environHas(Path dir, byte[] marker) {
        byte[] env;
        try {
            env = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException | RuntimeException notOurs) {
            return false; // gone, or another user's process: not one of ours
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == marker.length && java.util.Arrays.equals(env, start, i, marker, 0, marker.length))
                    return true;
                start = i + 1;
            }
        }
        return false;
    }
}
