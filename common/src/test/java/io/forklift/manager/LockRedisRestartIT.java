package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.embedded.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Redis (AOF, fsync always) while three holder JVMs ({@link LockHolderMain}) hold and
 * wait for a lock, restarted 2 s later: the holders carry on, never two inside at once while both
 * held the lock, and every acknowledged fenced write is in the counter (one whose reply was lost
 * may be there too, so the counter may exceed the acknowledgements by at most the errors).
 */
@Tag("chaos")
@Timeout(240)
class LockRedisRestartIT {
    private static final long LEASE_MS = 1_500;
    private final List<Process> holders = new ArrayList<>();

    @AfterEach
    void stopHolders() {
        for (Process p : holders) p.destroyForcibly();
    }

    @Test
    void holdersCarryOnAcrossARedisCrashAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        try (EmbeddedRedis redis =
                EmbeddedRedis.start(dir.resolve("redis"), 0, "--appendonly", "yes", "--appendfsync", "always")) {
            Path file = dir.resolve("ledger.txt");
            Files.createFile(file);
            for (int i = 0; i < 3; i++) {
                holders.add(new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LockHolderMain.class.getName(),
                                redis.uri(),
                                "restart:",
                                file.toString(),
                                dir.resolve("stop").toString(),
                                "200",
                                Long.toString(LEASE_MS))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("holder-" + i + ".log").toFile())
                        .start());
            }
            LockLedger ledger = new LockLedger(file);
            ledger.awaitRounds(6);
            ledger.awaitInside(holders.stream().map(Process::pid).toList());
            redis.kill();
            TimeUnit.SECONDS.sleep(2); // Redis stays down: the fault under test
            long restarted = System.nanoTime();
            redis.restart();
            ledger.awaitRoundsAfter(restarted, 10);
            Files.createFile(dir.resolve("stop"));
            for (Process p : holders) {
                assertTrue(p.waitFor(90, TimeUnit.SECONDS), "holder " + p.pid() + " did not finish");
                assertEquals(0, p.exitValue(), "holder " + p.pid() + " failed; see its log in " + dir);
            }
            long counter;
            try (var raw = io.forklift.testkit.RawRedis.at(redis.uri())) {
                counter = Long.parseLong(raw.get("restart:{m:chaos/counter}:value"));
            }
            LockLedger.Report r = ledger.report(counter);
            long errors = ledger.events().stream()
                    .filter(e -> e.what().equals("error"))
                    .count();
            long firstAfter = TimeUnit.NANOSECONDS.toMillis(ledger.firstEnterAfter(restarted) - restarted);
            System.out.printf(
                    "lock chaos, kill -9 of Redis and restart 2 s later: %s; %d calls failed while it was down; "
                            + "first hold %d ms after the restart%n",
                    r, errors, firstAfter);
            assertEquals(0, r.overlaps(), "two holders inside at once while both held the lock");
            assertTrue(r.counter() >= r.acks(), "an acknowledged fenced write was lost");
            assertTrue(r.counter() <= r.acks() + errors, "more writes landed than were attempted");
        }
    }
}
