package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starting real child JVMs: a child that never says hello is killed, so it cannot hold a start slot for good;
 * one still starting when the worker ends is killed and reaped with the rest.
 */
class ChildStartIT {
    private static ChildLauncher launcher(List<String> jvmOptions) {
        return new ChildLauncher(
                TaskCatalog.of(Set.of()), jvmOptions, List.of(), 1 << 20, "start-it", "localhost", "", "forklift");
    }

    @Test
    @Timeout(60) // without the hello timeout, start() would wait for good
    void aChildStuckBeforeItsMainIsKilledAfterTheHelloTimeout() throws Exception {
        // jdwp with suspend=y holds the JVM before main until a debugger attaches; quiet=y keeps stdout clean
        ChildLauncher stuck = launcher(
                        List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0,quiet=y"))
                .helloTimeout(Duration.ofSeconds(3));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> stuck.start("initial"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("did not say hello within 3000 ms"), e.getMessage());
        assertTrue(millis >= 3000 && millis < 30_000, "gave up after " + millis + " ms");
        long pid = Long.parseLong(e.getMessage().replaceFirst("^child (\\d+) .*$", "$1"));
        Await.until(
                Duration.ofSeconds(10),
                "the stuck child " + pid + " is gone",
                () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    @Timeout(60)
    void aWorkersLastStepKillsAndReapsAChildStillStarting() throws Exception {
        ChildLauncher launcher = launcher(
                        List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0,quiet=y"))
                .helloTimeout(Duration.ofSeconds(50));
        CompletableFuture<ChildProcess> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return launcher.start("initial");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AtomicLong pid = new AtomicLong();
        Await.until(Duration.ofSeconds(10), "the child JVM runs, held before its main", () -> {
            ProcessHandle.current()
                    .descendants()
                    // its command line, as the JDK reads it, is cut before its end: find it by its JVM options
                    .filter(c ->
                            c.isAlive() && c.info().commandLine().orElse("").contains("suspend=y"))
                    .findFirst()
                    .ifPresent(c -> pid.set(c.pid()));
            return pid.get() != 0;
        });

        launcher.killLaunched(Duration.ofSeconds(10));

        assertTrue(ProcessHandle.of(pid.get()).isEmpty(), "child " + pid + " is killed and reaped, not left a zombie");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> starting.get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof UncheckedIOException, failed.toString());
    }

    @Test
    void aChildThatSaysHelloInTimeStarts() throws Exception {
        ChildProcess child =
                launcher(List.of("-Xms8m")).helloTimeout(Duration.ofSeconds(30)).start("initial");
        try {
            assertTrue(child.startMillis() > 0 && child.startMillis() < 30_000, child.startMillis() + " ms");
            assertTrue(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false));
        } finally {
            child.kill();
        }
    }
}
