package io.forklift.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time a JVM's JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…") have used, from /proc. */
final class CompilerCpu {
    private static final long MILLIS_PER_TICK = 10; // /proc counts in USER_HZ, 100 on Linux's x86 and ARM ABIs

    private CompilerCpu() {}

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
