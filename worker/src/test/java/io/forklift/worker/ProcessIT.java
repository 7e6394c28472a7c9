package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.ForkliftProcess;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Die;
import io.forklift.worker.tasks.Explode;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Speak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.util.KeyValue;

/**
 * Issue 14: Processes on a real worker, each in a JVM of its own: start, join, exit codes 0, 1,
 * −15 and −9, the process tree gone after terminate, prints back in the starter in order, and bad
 * input. Figures are printed, not asserted.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private TestRedis redis;
    private TestWorker worker;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(redis, "process-w1", "process-pool", 1, "--max-processes", "3");
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void aProcessRunsInAJvmOfItsOwnAndItsPrintsArriveHerePrefixed() throws Exception {
        List<Long> firstLine = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            long[] first = {0};
            long t0 = System.nanoTime();
            ForkliftProcess p = worker.client()
                    .process(Speak.class, new Speak.Plan(3, 0, true))
                    .name("bob")
                    .output(line -> {
                        if (lines.isEmpty()) first[0] = System.nanoTime();
                        lines.add(line);
                    })
                    .start();
            assertTrue(p.join(WAIT), "bob ended");
            firstLine.add((first[0] - t0) / 1_000_000);
            assertEquals(0, p.exitCode());
            assertFalse(p.isAlive());
            long pid = p.pid();
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertFalse(worker.children().contains(pid), "not a pool child");
            String prefix = "(bob pid=" + pid + " host=" + p.host() + ") ";
            assertEquals(5, lines.size(), lines.toString());
            assertTrue(
                    lines.get(0)
                            .startsWith(prefix + "whoami name=bob pid=" + pid + " ppid="
                                    + ProcessHandle.current().pid() + " daemon=false process=true worker=process-w1"),
                    lines.get(0));
            for (int i = 0; i < 3; i++) assertEquals(prefix + "line " + i, lines.get(i + 1));
            assertEquals(prefix + "to stderr", lines.get(4));
            assertNull(p.error());
        }
        System.out.println("figure: start() -> first printed line here, ms, 4 runs: " + firstLine);
    }

    @Test
    void aHundredThousandLinesArriveInOrder() throws Exception {
        int n = 100_000;
        List<String> lines = new ArrayList<>(n);
        long t0 = System.nanoTime();
        ForkliftProcess p = worker.client()
                .process(Speak.class, new Speak.Plan(n, 0, false))
                .output(lines::add) // one reader thread calls it, in order
                .start();
        assertTrue(p.join(WAIT));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(n + 1, lines.size(), "every line and the stderr one");
        String prefix = "(" + p.name() + " pid=" + p.pid() + " host=" + p.host() + ") ";
        for (int i = 0; i < n; i++) {
            if (!lines.get(i).equals(prefix + "line " + i)) throw new AssertionError("line " + i + ": " + lines.get(i));
        }
        System.out.println("figure: " + n + " lines printed by a Process, all here in order, in " + ms + " ms");
    }

    @Test
    void anExceptionEndsItWithExitCodeOneAndTheRemoteError() throws Exception {
        ForkliftProcess p = worker.client().process(Explode.class, "boom").start();
        assertTrue(p.join(WAIT));
        assertEquals(1, p.exitCode());
        RemoteTaskException e = (RemoteTaskException) p.error();
        assertEquals("java.lang.IllegalStateException", e.remoteType());
    }

    @Test
    void terminateEndsItWithMinus15AndKillsItsGrandchildren() throws Exception {
        for (String how : List.of("spawn", "escape")) {
            String key = redis.prefix() + "grandchild-" + how;
            ForkliftProcess p = worker.client()
                    .process(Die.class, how + "|" + redis.uri() + "|" + key)
                    .output(line -> {})
                    .start();
            KeyValue<String, String> popped = worker.raw().blpop(60.0, key);
            assertNotNull(popped, how + ": the process started its grandchild");
            long grandchild = Long.parseLong(popped.getValue());
            assertTrue(p.isAlive());
            long t0 = System.nanoTime();
            p.terminate();
            assertTrue(p.join(WAIT));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(-15, p.exitCode(), how);
            Await.until(
                    Duration.ofSeconds(10),
                    how + ": the grandchild is gone with its process",
                    () -> ProcessHandle.of(grandchild).map(h -> !h.isAlive()).orElse(true));
            System.out.println("figure: terminate() -> join() returned (" + how + "): " + ms + " ms");
        }
    }

    @Test
    void terminateBeforeAnyWorkerTookItEndsItWithMinus15() throws Exception {
        // No worker serves this prefix: terminate() withdraws the task, racing the end the withdrawn
        // task's failure would record; the signal's -15 must win every time (SeedsDemoIT once saw 1).
        var options = ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix() + "unserved:");
        try (Forklift fl = Forklift.connect(options)) {
            long joinNanos = 0;
            for (int i = 0; i < 30; i++) {
                ForkliftProcess p =
                        fl.process(Nap.class, Nap.Plan.sleep(1, 1000)).start();
                p.terminate();
                long t0 = System.nanoTime();
                assertTrue(p.join(WAIT));
                joinNanos += System.nanoTime() - t0;
                assertEquals(-15, p.exitCode(), "run " + i + ": " + p);
                assertFalse(p.isAlive());
            }
            // It never ran, so no output will end: join() must not wait the 2 s it gives a run's last lines
            // (it did, 30 × 2 s). A bound far above a normal join's few ms, not a speed target.
            long joinMs = joinNanos / 1_000_000;
            System.out.println(
                    "figure: join() after terminate() before any worker took it: " + joinMs / 30 + " ms each");
            assertTrue(joinMs < 30_000, "30 joins took " + joinMs + " ms: each waited for output that never comes");
        }
    }

    @Test
    void killEndsItWithMinus9() throws Exception {
        String key = redis.prefix() + "hanging";
        ForkliftProcess p = worker.client()
                .process(Die.class, "hang|" + redis.uri() + "|" + key)
                .start();
        assertNotNull(worker.raw().blpop(60.0, key));
        long t0 = System.nanoTime();
        p.kill();
        assertTrue(p.join(WAIT));
        assertEquals(-9, p.exitCode());
        System.out.println("figure: kill() -> join() returned: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void joinWithATimeoutReturnsFalseWhileItRuns() throws Exception {
        ForkliftProcess p =
                worker.client().process(Nap.class, Nap.Plan.sleep(1, 1500)).start();
        long t0 = System.nanoTime();
        assertFalse(p.join(Duration.ofMillis(200)));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 190, "join(200 ms) waited " + waited + " ms");
        assertTrue(p.join(WAIT));
        long ended = Long.parseLong(worker.raw().hget(worker.redis().keys().process(p.id()), "endedAt"));
        long wake = System.currentTimeMillis() - ended; // same host: Redis's clock is this machine's
        assertEquals(0, p.exitCode());
        System.out.println("figure: end recorded in Redis -> join() returned: " + wake + " ms");
    }

    @Test
    void badInputGetsClearErrors() throws Exception {
        var fl = worker.client();
        ForkliftProcess unknown = fl.process("no.such.Task", "x").start();
        assertTrue(unknown.join(WAIT));
        assertEquals(1, unknown.exitCode());
        assertTrue(
                unknown.error().getMessage().contains("not registered"),
                unknown.error().getMessage());

        ForkliftProcess idle = fl.process(Speak.class, new Speak.Plan(0, 0, false));
        assertThrows(IllegalStateException.class, () -> idle.join(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, idle::terminate);
        assertEquals(
                "timeout must not be negative, got PT-1S",
                assertThrows(IllegalArgumentException.class, () -> unknown.join(Duration.ofSeconds(-1)))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> fl.process(Nap.class, null).name(" "));
        IllegalStateException twice = assertThrows(IllegalStateException.class, unknown::start);
        assertTrue(twice.getMessage().contains("cannot start a process twice"), twice.getMessage());
    }
}
