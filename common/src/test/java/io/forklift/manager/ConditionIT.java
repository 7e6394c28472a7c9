package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Condition of a shared lock against a real Redis: atomic release-and-wait, FIFO wake-ups, timeouts, misuse. */
class ConditionIT extends ManagerSession {
    ConditionIT() {
        super("cond");
    }

    @Test
    void waitersWakeInTheOrderTheyBeganToWaitHoldingTheLock() throws Exception {
        SharedLock lock = m.lock("l");
        SharedValue<Integer> turn = m.value("turn", 0);
        List<Integer> woke = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            waiters.add(threads.submit(() -> {
                SharedLock mine = m.lock("l");
                SharedCondition c = m.condition(mine);
                mine.acquire();
                try {
                    c.await(); // gives the lock up while waiting, holds it again on return
                    assertTrue(mine.isHeldByCurrentThread());
                    woke.add(n);
                    turn.set(turn.get() + 1, mine.fence());
                } finally {
                    mine.release();
                }
                return null;
            }));
            awaitConditionWaiters(i + 1);
        }
        SharedCondition c = m.condition(lock);
        for (int i = 0; i < 3; i++) {
            try (Held h = lock.hold()) {
                c.signal();
            }
        }
        for (Future<?> w : waiters) w.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2), woke);
        assertEquals(3, turn.get());
    }

    private void awaitConditionWaiters(int n) throws InterruptedException {
        String list = prefix + "{m:cond/l}:cond:default";
        await("waiter " + n + " never began to wait", () -> redis.raw().llen(list) >= n);
    }

    @Test
    void aTimedOutWaitReturnsFalseHoldingTheLockAndWaitForChecksThePredicate() throws Exception {
        SharedLock lock = m.rlock("r");
        SharedCondition c = m.condition(lock, "ready");
        lock.acquire();
        lock.acquire(); // re-entered: await gives up both and takes both back
        assertFalse(c.await(Duration.ofMillis(200)));
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(threads.submit(() -> !m.rlock("r").tryAcquire()).get(10, TimeUnit.SECONDS));
        SharedValue<Boolean> ready = m.value("ready", false);
        Future<?> setter = threads.submit(() -> {
            SharedLock mine = m.rlock("r");
            mine.acquire();
            ready.set(true);
            m.condition(mine, "ready").signalAll();
            mine.release();
            return null;
        });
        assertTrue(c.waitFor(ready::get, Duration.ofSeconds(30)));
        setter.get(30, TimeUnit.SECONDS);
        assertTrue(lock.release());
        assertTrue(lock.release());
        assertThrows(IllegalMonitorStateException.class, lock::release);
    }

    @Test
    void misuseNamesTheRule() throws Exception {
        SharedLock lock = m.lock("x");
        SharedCondition c = m.condition(lock);
        assertThrows(IllegalMonitorStateException.class, c::signal, "signal without holding the lock");
        assertThrows(IllegalMonitorStateException.class, c::await);
        IllegalArgumentException other = assertThrows(
                IllegalArgumentException.class, () -> fl.manager("another").condition(lock));
        assertTrue(other.getMessage().contains("same manager"), other.getMessage());
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
    }
}
