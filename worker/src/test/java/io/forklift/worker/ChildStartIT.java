package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting real child JVMs: a child that never says hello is killed, so it cannot hold a start slot for good. */
class ChildStartIT {
    private static ChildLauncher launcher(List<String> jvmOptions) {
        return new ChildLauncher(List.of(), jvmOptions, List.of(), 1 << 20, "start-it", "localhost", "", "forklift");
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
