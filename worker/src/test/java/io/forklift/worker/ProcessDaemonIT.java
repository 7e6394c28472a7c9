package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.ForkliftProcess;
import io.forklift.ProcessInfo;
import io.forklift.redis.Processes;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Nap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.util.KeyValue;

/**
 * Issue 14's daemon semantics: a program killed with SIGKILL loses its daemonic Processes within one
 * liveness lease while its non-daemonic one finishes; {@code Forklift.close()} waits for the
 * non-daemonic and terminates the daemonic; a daemonic Process may not start one.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class ProcessDaemonIT {
    private static final Duration LEASE = Duration.ofSeconds(10); // ProcessHub.OWNER_LEASE

    @Test
    void aKilledStartersDaemonicProcessEndsWithinALeaseAndTheOtherFinishes(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "daemon-w1", "daemon-pool", 1, "--max-processes", "3")) {
            String key = redis.prefix() + "parent-ids";
            Path log = Path.of("target", "it-logs", "process-parent.log");
            Files.createDirectories(log.getParent());
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process parent = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            ProcessParent.class.getName(),
                            redis.uri(),
                            redis.prefix(),
                            key)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                KeyValue<String, String> first = worker.raw().blpop(60.0, key);
                KeyValue<String, String> second = worker.raw().blpop(60.0, key);
                assertNotNull(second, "the parent started both; see " + log);
                String daemonic = first.getValue();
                String steady = second.getValue();
                Processes registry = new Processes(worker.redis());
                Await.until(
                        Duration.ofSeconds(60),
                        "both processes run",
                        () -> registry.read(daemonic).containsKey("pid")
                                && registry.read(steady).containsKey("pid"));
                long t0 = System.nanoTime();
                parent.destroyForcibly(); // SIGKILL: no close(), no goodbye
                parent.waitFor();
                Await.until(
                        LEASE.plusSeconds(10),
                        "the daemonic process ends",
                        () -> registry.read(daemonic).containsKey("exitCode"));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("-15", registry.read(daemonic).get("exitCode"));
                assertTrue(ms < LEASE.toMillis() + 5_000, "within one lease and a check: " + ms + " ms");
                Await.until(
                        Duration.ofSeconds(30),
                        "the non-daemonic process finishes",
                        () -> registry.read(steady).containsKey("exitCode"));
                assertEquals("0", registry.read(steady).get("exitCode"), "it ran to its end");
                System.out.println("figure: starter killed -> its daemonic process ended: " + ms + " ms (lease "
                        + LEASE.toMillis() + " ms)");
            } finally {
                parent.destroyForcibly();
            }
        }
    }

    @Test
    void closeWaitsForTheNonDaemonicAndTerminatesTheDaemonic(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "daemon-w2", "daemon-pool2", 1, "--max-processes", "3")) {
            Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
            ForkliftProcess steady =
                    fl.process(Nap.class, Nap.Plan.sleep(1, 1500)).start();
            ForkliftProcess daemonic = fl.process(Nap.class, Nap.Plan.sleep(2, 120_000))
                    .daemon(true)
                    .start();
            Await.until(Duration.ofSeconds(60), "the daemonic one runs", () -> daemonic.pid() != null);
            fl.close();
            Processes registry = new Processes(worker.redis());
            assertEquals("0", registry.read(steady.id()).get("exitCode"), "close() waited for it");
            assertEquals("-15", registry.read(daemonic.id()).get("exitCode"), "close() terminated it");
        }
    }

    @Test
    void aDaemonicProcessMayNotStartOne(TestRedis redis) {
        try (Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            ProcessInfo.enter(new ProcessInfo("d", 1, 0, "h", "w", true, true)); // as inside a daemonic Process
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> fl.process(Nap.class, Nap.Plan.sleep(0, 0)).start());
            assertEquals("daemonic processes are not allowed to have children", e.getMessage());
        } finally {
            ProcessInfo.enter(null);
        }
    }
}
