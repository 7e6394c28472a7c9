package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock holders in separate JVMs ({@link LockHolderMain}) while one is killed with kill -9 or stopped
 * with SIGSTOP past its lease, checked against the ledger they keep outside Redis: never two
 * holders inside at once while both held the lock, every waiter gets the lock, the lock of a dead
 * holder is free within about one lease, a stale holder's late write is refused and its release
 * says it lost the lock, and the counter equals the number of acknowledged fenced writes.
 */
@Tag("chaos")
@Timeout(240)
@ExtendWith(RedisExtension.class)
class LockChaosIT {
    private static final long LEASE_MS = 1_500;
    private static final int HOLDERS = 3;
    private final List<Process> holders = new ArrayList<>();

    @AfterEach
    void stopHolders() {
        for (Process p : holders) p.destroyForcibly();
    }

    @Test
    void killNineOfAHolderFreesTheLockWithinALease(TestRedis redis, TestInfo test, @TempDir Path dir) throws Exception {
        LockLedger ledger = start(redis, test, dir);
        ledger.awaitRounds(6);
        long victim = ledger.awaitInside(pids());
        long killedAt = System.nanoTime();
        signal("KILL", victim);
        ledger.awaitRoundsAfter(killedAt, 10);
        finish(dir, victim);
        LockLedger.Report r = ledger.report(counter(redis, test));
        long freedMs = TimeUnit.NANOSECONDS.toMillis(ledger.firstEnterAfter(killedAt) - killedAt);
        System.out.printf(
                "lock chaos, kill -9 of holder %d: %s; next holder in %d ms after the kill (lease %d ms)%n",
                victim, r, freedMs, LEASE_MS);
        assertEquals(0, r.overlaps(), "two holders inside at once");
        assertEquals(r.acks(), r.counter(), "an acknowledged fenced write was lost");
        assertTrue(freedMs < 3 * LEASE_MS, "the dead holder's lock reached the next waiter within about a lease");
    }

    @Test
    void aHolderStoppedPastItsLeaseLosesTheLockAndItsLateWriteIsRefused(
            TestRedis redis, TestInfo test, @TempDir Path dir) throws Exception {
        LockLedger ledger = start(redis, test, dir);
        ledger.awaitRounds(6);
        long victim = ledger.awaitInside(pids());
        long stoppedAt = System.nanoTime();
        signal("STOP", victim);
        ledger.awaitRoundsAfter(stoppedAt, 3); // others have held the lock meanwhile
        TimeUnit.MILLISECONDS.sleep(LEASE_MS); // the fault under test: stopped well past its lease
        signal("CONT", victim);
        ledger.awaitEvent(victim, "lost");
        ledger.awaitRoundsAfter(System.nanoTime(), 5);
        finish(dir, -1);
        LockLedger.Report r = ledger.report(counter(redis, test));
        System.out.printf("lock chaos, SIGSTOP of holder %d past its lease: %s%n", victim, r);
        assertEquals(0, r.overlaps(), "two holders inside at once while both held the lock");
        assertTrue(r.refused() >= 1, "the stopped holder's late write was refused");
        assertTrue(r.lost() >= r.refused(), "each refused writer learnt from its release that it lost the lock");
        assertEquals(r.acks(), r.counter(), "an acknowledged fenced write was lost");
    }

    private LockLedger start(TestRedis redis, TestInfo test, Path dir) throws Exception {
        String prefix = redis.prefix(test.getDisplayName());
        Path file = dir.resolve("ledger.txt");
        Files.createFile(file);
        for (int i = 0; i < HOLDERS; i++) {
            holders.add(new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            System.getProperty("java.class.path"),
                            LockHolderMain.class.getName(),
                            redis.uri(),
                            prefix,
                            file.toString(),
                            dir.resolve("stop").toString(),
                            "200",
                            Long.toString(LEASE_MS))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("holder-" + i + ".log").toFile())
                    .start());
        }
        return new LockLedger(file);
    }

    private List<Long> pids() {
        return holders.stream().map(Process::pid).toList();
    }

    /** Tells the holders to stop after their round and waits for every live one to exit 0. */
    private void finish(Path dir, long killed) throws Exception {
        Files.createFile(dir.resolve("stop"));
        for (Process p : holders) {
            if (p.pid() == killed) continue;
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "holder " + p.pid() + " did not finish");
            assertEquals(0, p.exitValue(), "holder " + p.pid() + " failed; see its log in " + dir);
        }
    }

    private static long counter(TestRedis redis, TestInfo test) {
        String v = redis.raw().get(redis.prefix(test.getDisplayName()) + "{m:chaos/counter}:value");
        return Long.parseLong(v);
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    static Duration lease() {
        return Duration.ofMillis(LEASE_MS);
    }
}
