package io.forklift.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time a JVM's JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…") have used, from /proc. */
final class CompilerCpu {
    private static final long MILLIS_PER_TICK = 10; // /proc counts in USER_HZ, 100 on Linux's x86 and ARM ABIs

    private CompilerCpu() {}

    /** Compiler CPU of the worker, its children together and the client over an interval, in ms. */
    record Spent(long worker, long children, long client) {
        long totalMillis() {
            return worker + children + client;
        }
    }

    /**
     * The compiler CPU of the bench's JVMs between one call of {@link #sinceLast()} and the next, counted
     * per thread: the JVM ends compiler threads that go idle and starts new ones as work comes, and a
     * thread that ended takes its CPU out of its process's sum (a process-wide difference went negative).
     */
    static final class Sampler {
        private final long worker;
        private final List<Long> children;
        private final long client = ProcessHandle.current().pid();
        private final Map<Long, Map<String, Long>> lastTicks = new HashMap<>(); // pid -> thread id -> ticks
        private boolean known;

        Sampler(long worker, List<Long> children) {
            this.worker = worker;
            this.children = List.copyOf(children);
            sinceLast();
        }

        /** The compiler CPU since the last call (or since this was made); null where /proc does not say. */
        Spent sinceLast() {
            long w = spent(worker), c = spent(client), ch = 0;
            for (long child : children) ch += Math.max(0, spent(child)); // a child replaced mid-run: its share is lost
            boolean wasKnown = known;
            known = w >= 0 && c >= 0;
            return known && wasKnown ? new Spent(w, ch, c) : null;
        }

        /** Milliseconds the compiler threads of {@code pid} used since the last sample; -1 where /proc does not say. */
        private long spent(long pid) {
            Map<String, Long> now = ticks(pid);
            if (now == null) return -1;
            Map<String, Long> before = lastTicks.getOrDefault(pid, Map.of());
            lastTicks.put(pid, now);
            long ticks = 0;
            for (Map.Entry<String, Long> t : now.entrySet())
                ticks += Math.max(0, t.getValue() - before.getOrDefault(t.getKey(), 0L));
            return ticks * MILLIS_PER_TICK;
        }
    }

    /** Milliseconds of CPU the compiler threads of {@code pid} used so far; -1 where /proc does not say. */
    static long millis(long pid) {
        Map<String, Long> ticks = ticks(pid);
        return ticks == null
                ? -1
                : ticks.values().stream().mapToLong(Long::longValue).sum() * MILLIS_PER_TICK;
    }

    /** The CPU ticks of each compiler thread of {@code pid} alive now, by thread id; null where /proc does not say. */
    private static Map<String, Long> ticks(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                long t = compilerTicks(thread);
                if (t > 0) ticks.put(thread.getFileName().toString(), t);
            });
            return ticks;
        } catch (IOException | java.io.UncheckedIOException notLinux) {
            return null;
        }
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) return 0;
            String stat = Files.readString(thread.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException ended) {
            return 0; // the thread ended (compiler threads come and go)
        }
    }
}
