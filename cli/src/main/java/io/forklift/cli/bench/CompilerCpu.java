package io.forklift.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The compiler CPU of the bench's JVMs between one call of {@link #sinceLast()} and the next. */
    static final class Sampler {
        private final long worker;
        private final List<Long> children;
        private final long client = ProcessHandle.current().pid();
        private Spent last;

        Sampler(long worker, List<Long> children) {
            this.worker = worker;
            this.children = List.copyOf(children);
            this.last = sample();
        }

        /** The compiler CPU since the last call (or since this was made); null where /proc does not say. */
        Spent sinceLast() {
            Spent now = sample(), before = last;
            last = now;
            if (now == null || before == null) return null;
            return new Spent(now.worker - before.worker, now.children - before.children, now.client - before.client);
        }

        private Spent sample() {
            long w = millis(worker), c = millis(client), ch = 0;
            for (long child : children) ch += Math.max(0, millis(child)); // a child replaced mid-run: its share is lost
            return w < 0 || c < 0 ? null : new Spent(w, ch, c);
        }
    }

    /** Milliseconds of CPU the compiler threads of {@code pid} used so far; -1 where /proc does not say. */
    static long millis(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(CompilerCpu::compilerTicks).sum() * MILLIS_PER_TICK;
        } catch (IOException | java.io.UncheckedIOException notLinux) {
            return -1;
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
