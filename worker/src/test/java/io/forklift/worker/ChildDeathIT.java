package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Die;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
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
 * A child that dies under its task — killed with SIGKILL, exiting 0 without a result, out of
 * memory — fails that task with the reason; the child is replaced and the worker keeps serving.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ChildDeathIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private TestRedis redis;
    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(
                redis,
                "death-w1",
                "death",
                2,
                "--child-jvm-options",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx48m -XX:+ExitOnOutOfMemoryError");
        pool = worker.pool(2);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void aChildKilledWithSigkillFailsItsTaskWithMinusNineAndIsReplaced() throws Exception {
        String pids = redis.prefix() + "death-pids";
        var result = pool.applyAsync(Die.class, "hang|" + redis.uri() + "|" + pids);
        KeyValue<String, String> popped = worker.raw().blpop(30.0, pids);
        assertNotNull(popped, "the task reported its child's pid");
        long victim = Long.parseLong(popped.getValue());
        assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());

        RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> result.get(WAIT));
        assertEquals("io.forklift.ChildProcessDiedException", e.remoteType());
        assertTrue(e.getMessage().contains("exited with -9"), e.getMessage());
        assertServingWithFreshChildren(victim);
    }

    @Test
    void aChildThatExitsWithoutAResultIsAFailureNotASuccess() throws Exception {
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Die.class, "exit0").get(WAIT));
        assertTrue(e.getMessage().contains("exited with 0 while running task"), e.getMessage());
        assertServingWithFreshChildren(-1);
    }

    @Test
    void aChildOutOfMemoryFailsItsTaskAndTheNextTaskGetsAFreshChild() throws Exception {
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Die.class, "oom").get(WAIT));
        assertEquals("io.forklift.ChildProcessDiedException", e.remoteType());
        assertTrue(e.getMessage().contains("exited with 3"), "ExitOnOutOfMemoryError exits 3: " + e.getMessage());
        assertServingWithFreshChildren(-1);
    }

    @Test
    void aStackOverflowFailsItsTaskWithTheReasonAndTheChildIsReplaced() throws Exception {
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Die.class, "stack").get(WAIT));
        assertEquals("java.lang.StackOverflowError", e.remoteType());
        java.util.regex.Pattern retired = java.util.regex.Pattern.compile(
                "child (\\d+) exited with " + io.forklift.worker.child.ChildMain.RETIRED_AFTER_VM_ERROR);
        Await.until(
                WAIT,
                "the child that overflowed retires",
                () -> retired.matcher(workerLog()).find());
        java.util.regex.Matcher m = retired.matcher(workerLog());
        assertTrue(m.find());
        assertServingWithFreshChildren(Long.parseLong(m.group(1)));
    }

    @Test
    void childrenThatKeepCrashingAreReplacedAfterAGrowingDelay() throws Exception {
        // Four crashes in a row with no task finished between them: the replacement delays double
        // (with jitter: 50-100, 100-200, 200-400, 400-800 ms), so a crash loop cannot spin.
        long before = replacementDelays().size();
        for (int i = 0; i < 4; i++) {
            assertThrows(
                    RemoteTaskException.class,
                    () -> pool.applyAsync(Die.class, "exit0").get(WAIT));
        }
        Await.until(
                WAIT,
                "four replacement delays in the log",
                () -> replacementDelays().size() >= before + 4);
        List<Long> delays = replacementDelays().subList((int) before, (int) before + 4);
        assertTrue(delays.get(3) > delays.get(0) && delays.get(2) > delays.get(0), "the delays grow: " + delays);
        System.out.println("crash-loop replacement delays (ms): " + delays);
        assertServingWithFreshChildren(-1);
    }

    /** The delays, in ms, of every "starting a replacement in N ms" line the worker logged so far. */
    private List<Long> replacementDelays() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("starting a replacement in (\\d+) ms")
                .matcher(workerLog());
        List<Long> delays = new java.util.ArrayList<>();
        while (m.find()) delays.add(Long.parseLong(m.group(1)));
        return delays;
    }

    private String workerLog() {
        try {
            return java.nio.file.Files.readString(worker.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The worker is alive, back to 2 children (none of them {@code gone}), and runs tasks. */
    private void assertServingWithFreshChildren(long gone) throws Exception {
        assertTrue(worker.process().process().isAlive(), "the worker daemon survives");
        Await.until(WAIT, "2 live children, the dead one replaced", () -> {
            List<Long> children = worker.children();
            return children.size() == 2 && !children.contains(gone);
        });
        assertEquals(49, pool.applyAsync(Square.class, 7).get(WAIT));
        assertFalse(ProcessHandle.of(gone).map(ProcessHandle::isAlive).orElse(false), "the dead child is gone");
    }
}
