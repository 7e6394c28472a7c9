package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RedisUnavailableException;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis killed (-9) and kept down for 30 s while a worker runs tasks: submits fail fast with
 * {@link RedisUnavailableException}, a submit from a client with {@code submitWait} longer than the
 * rest of the outage succeeds once Redis is back, every acknowledged task completes with one
 * callback, and the worker logs the outage once and its length once.
 */
@Tag("chaos")
@Timeout(240)
class RedisOutageIT {
    private static final int TASKS = 20;
    private static final int WAITED = 999;
    private static final int WAITED_APPLY = 998;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = ForkliftOptions.of("redis://x").timeout();
    private static final Pattern ANSWERS_AGAIN = Pattern.compile("answers again after (\\d+) ms");

    @Test
    void submitsFailFastOrWaitAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        try (OwnRedis own = OwnRedis.start(dir, "outage:", 2);
                Forklift patient = Forklift.connect(own.client.options().withSubmitWait(OUTAGE.multipliedBy(2)))) {
            EmbeddedRedis server = own.server;
            Redis conn = own.conn;
            Forklift fl = own.client;
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            Pool pool = fl.pool("jobs", 2);
            Pool patientPool = patient.pool("jobs", 2);
            Callbacks callbacks = new Callbacks();
            callbacks.submit(pool, ledger, TASKS, 300);
            // The crash, once every task is acknowledged (stored or done) and some have finished.
            Ledger.await(
                    Duration.ofSeconds(30),
                    () -> callbacks.tasks() >= 3
                            && own.raw().hlen(conn.keys().msgs("jobs")) + callbacks.tasks() >= TASKS);

            server.kill();
            long killedAt = System.nanoTime();
            long worstFailNanos = 0;
            int probes = 0;
            AsyncResult<Integer> waited = null;
            CompletableFuture<Integer> waitedApply = null; // an apply: its own store fails, the submit thread retries
            while (System.nanoTime() - killedAt < OUTAGE.toNanos()) {
                long t0 = System.nanoTime();
                Recorded.Arg arg = new Recorded.Arg(ledger.path(), 1000 + probes++, 0);
                // Every other probe is an apply, whose caller stores the task itself: it fails as fast.
                RedisUnavailableException e = probes % 2 == 0
                        ? assertThrows(RedisUnavailableException.class, () -> pool.apply(Recorded.class, arg))
                        : assertThrows(
                                RedisUnavailableException.class,
                                () -> pool.applyAsync(Recorded.class, arg).get(TIMEOUT.multipliedBy(5)));
                worstFailNanos = Math.max(worstFailNanos, System.nanoTime() - t0);
                assertTrue(
                        e.getMessage().contains("Redis at 127.0.0.1:" + server.port() + " is unreachable"),
                        e.getMessage());
                if (waited == null && System.nanoTime() - killedAt > TimeUnit.SECONDS.toNanos(5)) {
                    waited = patientPool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), WAITED, 0));
                    waitedApply = CompletableFuture.supplyAsync(() -> {
                        try {
                            return patientPool.apply(Recorded.class, new Recorded.Arg(ledger.path(), WAITED_APPLY, 0));
                        } catch (InterruptedException interrupted) {
                            throw new CompletionException(interrupted);
                        }
                    });
                }
                TimeUnit.MILLISECONDS.sleep(250); // paces the probes; the outage itself lasts OUTAGE
            }
            assertTrue(waited != null && !waited.ready(), "the waiting submit is still waiting when Redis comes back");
            assertTrue(!waitedApply.isDone(), "the waiting apply is still waiting when Redis comes back");
            server.restart();
            long restartedAt = System.nanoTime();

            assertEquals(
                    WAITED,
                    waited.get(Duration.ofSeconds(30)),
                    "a submit waiting longer than the rest of the outage succeeds");
            assertEquals(
                    WAITED_APPLY,
                    waitedApply.get(30, TimeUnit.SECONDS),
                    "an apply waiting longer than the rest of the outage succeeds");
            Ledger.await(Duration.ofSeconds(90), () -> callbacks.tasks() + callbacks.failures.get() >= TASKS);
            long recoveryMs = callbacks.firstAfterMillis(restartedAt);
            long worstFailMs = worstFailNanos / 1_000_000;

            assertEquals(0, callbacks.failures.get(), "no acknowledged task may fail");
            int completed = callbacks.tasks() + 2; // the waited submit and apply count as acknowledged
            int lost = TASKS + 2 - completed;
            int duplicateCallbacks = callbacks.duplicates();
            assertEquals(0, duplicateCallbacks, "duplicate callbacks: " + callbacks.byTask);
            List<Ledger.Execution> runs = ledger.executions();
            assertTrue(runs.stream().noneMatch(e -> e.n() >= 1000), "a submit that failed fast never runs: " + runs);
            assertTrue(
                    worstFailMs < 2 * TIMEOUT.toMillis(),
                    "submits fail within 2 x the " + TIMEOUT + " timeout; the slowest took " + worstFailMs + " ms");

            long outageMs = awaitOneOutageLogged(own.worker.log());
            assertTrue(
                    outageMs >= OUTAGE.toMillis() - 5_000,
                    "the logged outage (" + outageMs + " ms) spans the " + OUTAGE + " Redis was down");
            assertEquals(0, lost, "lost tasks");
            long duplicateExecutions = runs.size()
                    - runs.stream().map(Ledger.Execution::n).distinct().count();
            System.out.printf(
                    "redis down %d s: %d tasks acknowledged, %d completed, %d lost, %d duplicate executions, %d duplicate callbacks; "
                            + "%d fail-fast probes, slowest failure %d ms (timeout %d ms); a submit waiting %s succeeded; "
                            + "recovery (restart -> first completion) %d ms; worker logged the outage once, %d ms%n",
                    OUTAGE.toSeconds(),
                    TASKS + 2,
                    completed,
                    lost,
                    duplicateExecutions,
                    duplicateCallbacks,
                    probes,
                    worstFailMs,
                    TIMEOUT.toMillis(),
                    OUTAGE.multipliedBy(2),
                    recoveryMs,
                    outageMs);
        }
    }

    /** Waits for the worker's log to show the end of the outage; checks it shows the outage once; returns its logged length. */
    private static long awaitOneOutageLogged(Path log) throws Exception {
        Ledger.await(
                Duration.ofSeconds(30),
                () -> ANSWERS_AGAIN.matcher(Files.readString(log)).find());
        List<String> lines = Files.readAllLines(log);
        List<String> started = lines.stream()
                .filter(l -> l.contains("Redis round trip failed"))
                .toList();
        List<String> ended =
                lines.stream().filter(l -> ANSWERS_AGAIN.matcher(l).find()).toList();
        assertEquals(1, started.size(), "one 'round trip failed' line per outage: " + started);
        assertEquals(1, ended.size(), "one 'answers again' line per outage: " + ended);
        Matcher m = ANSWERS_AGAIN.matcher(ended.get(0));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
