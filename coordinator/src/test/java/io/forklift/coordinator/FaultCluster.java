package io.forklift.coordinator;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Redis;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.UnifiedJedis;

/**
 * Two worker daemons ("victim", which the test faults, and "survivor") with 2 children each on a
 * short lease, a housekeeper, a client, and a ledger; submitted {@link Recorded} tasks count their
 * callbacks, so a test can check "one callback each" after a fault.
 */
final class FaultCluster implements AutoCloseable {
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration INTERVAL = Duration.ofMillis(500);

    final Ledger ledger;
    final Redis redis;
    private final TestRedis testRedis;
    final LocalWorker victim;
    final LocalWorker survivor;
    final Set<Long> victimChildren;
    final Housekeeper housekeeper;
    final Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
    final AtomicInteger failures = new AtomicInteger();
    final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Forklift forklift;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
    private Pool pool;

    /** {@code victimOptions} are further worker options for the victim only. */
    FaultCluster(TestRedis testRedis, Path dir, String... victimOptions) throws Exception {
        this(testRedis, dir, 3, victimOptions);
    }

    /** As above, with the housekeeper's max attempts. */
    FaultCluster(TestRedis testRedis, Path dir, int maxAttempts, String... victimOptions) throws Exception {
        this(testRedis, dir, maxAttempts, List.of(), victimOptions);
    }

    /** As above, with the victim's command run by {@code victimWrapper} (e.g. in a network namespace). */
    FaultCluster(TestRedis testRedis, Path dir, int maxAttempts, List<String> victimWrapper, String... victimOptions)
            throws Exception {
        this.testRedis = testRedis;
        ledger = new Ledger(dir.resolve("ledger.txt"));
        List<String> args = List.of(
                "--redis",
                testRedis.uri(),
                "--prefix",
                testRedis.prefix(),
                "--queues",
                "jobs",
                "--processes",
                "2",
                "--prefetch",
                "0",
                "--lease",
                LEASE.toString());
        redis = Redis.connect(testRedis.uri(), testRedis.prefix(), Duration.ofSeconds(2), 2);
        List<String> victimArgs = new java.util.ArrayList<>(args);
        victimArgs.addAll(List.of(victimOptions));
        victim = LocalWorker.start("victim", dir.resolve("victim.log"), victimArgs, victimWrapper);
        survivor = LocalWorker.start("survivor", dir.resolve("survivor.log"), args);
        forklift = Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(testRedis.prefix()));
        housekeeper = new Housekeeper(
                redis, "test-coordinator", HousekeepingConfig.of(INTERVAL, maxAttempts, Duration.ofMinutes(5)), null);
        housekeeping.scheduleWithFixedDelay(housekeeper::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        victimChildren = new HashSet<>(victim.awaitChildren(redis, 2, Duration.ofSeconds(60)));
        survivor.awaitChildren(redis, 2, Duration.ofSeconds(60));
    }

    /** Submits tasks 0..count-1 that each sleep {@code sleepMs}. */
    void submit(int count, long sleepMs) {
        pool = forklift.pool("jobs", 4);
        for (int n = 0; n < count; n++) {
            pool.applyAsync(
                    Recorded.class,
                    new Recorded.Arg(ledger.path(), n, sleepMs),
                    r -> callbacks.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet(),
                    e -> {
                        errors.add(e);
                        failures.incrementAndGet();
                    });
        }
    }

    /** Waits until {@code running} of the victim's children are inside a task. */
    void awaitVictimBusy(int running) throws Exception {
        Ledger.await(
                Duration.ofSeconds(30),
                () -> ledger.executions().stream()
                                .filter(e -> victimChildren.contains(e.pid()))
                                .count()
                        >= running);
    }

    /** Waits for every task to call back (or fail), then for the pool to drain. */
    void awaitAll(int count) throws Exception {
        Ledger.await(Duration.ofSeconds(90), () -> callbacks.size() + failures.get() >= count);
        pool.close();
        pool.join();
    }

    /** Executions that re-ran a task (attempt 2). */
    List<Ledger.Execution> reruns() throws Exception {
        return ledger.executions().stream().filter(e -> e.attempt() == 2).toList();
    }

    /** A plain connection to the test's Redis, for commands around Forklift (SCRIPT FLUSH, CLIENT KILL). */
    UnifiedJedis raw() {
        return testRedis.raw();
    }

    @Override
    public void close() throws Exception {
        housekeeping.shutdownNow();
        forklift.close();
        victim.close();
        survivor.close();
        redis.close();
    }
}
