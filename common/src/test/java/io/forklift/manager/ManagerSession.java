package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the lock, condition and barrier tests each set up: a client under a prefix of the test's own,
 * one Manager, and threads to wait on, closed after every test.
 */
@ExtendWith(RedisExtension.class)
abstract class ManagerSession {
    private final String managerName;
    protected Forklift fl;
    protected Manager m;
    protected String prefix;
    protected TestRedis redis;
    protected final ExecutorService threads = Executors.newCachedThreadPool();

    ManagerSession(String managerName) {
        this.managerName = managerName;
    }

    @BeforeEach
    void connect(TestRedis redis, TestInfo test) {
        this.redis = redis;
        prefix = redis.prefix(test.getDisplayName());
        fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(prefix));
        m = fl.manager(managerName);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        fl.close();
    }

    /** Waits up to 10 s for another thread's state (a place in a line) that has no event to wait on. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(5); // polling interval, not synchronization
        }
    }
}
