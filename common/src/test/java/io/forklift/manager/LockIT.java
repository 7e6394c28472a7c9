package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lock and RLock against a real Redis: mutual exclusion, FIFO hand-off, Python's errors, fenced writes. */
class LockIT extends ManagerSession {
    LockIT() {
        super("locks");
    }

    @Test
    void oneHolderAtATimeAndWaitersServedInOrder() throws Exception {
        SharedLock lock = m.lock("l");
        lock.acquire();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inside = new AtomicInteger();
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            waiters.add(threads.submit(() -> {
                SharedLock mine = m.lock("l");
                mine.acquire();
                try {
                    assertEquals(1, inside.incrementAndGet(), "two holders inside at once");
                    order.add(n);
                    inside.decrementAndGet();
                } finally {
                    assertTrue(mine.release());
                }
                return null;
            }));
            waitUntilInLine(i + 1); // so the order they joined the line in is known
        }
        assertTrue(lock.release());
        for (Future<?> w : waiters) w.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    private void waitUntilInLine(int n) throws InterruptedException {
        String line = prefix + "{m:locks/l}:line";
        await("waiter " + n + " never joined the line", () -> redis.raw().llen(line) >= n);
    }

    /**
     * The bench saw "the hold … ran out" warnings while one thread took and gave back an uncontended
     * lock: a release landing while the renewer's round trip was on its way read as a lost hold.
     */
    @Test
    void releasesRacingTheRenewerAreNotReportedAsHoldsThatRanOut() throws Exception {
        Manager racing = fl.manager("racing").withLease(Duration.ofMillis(450)); // renewed every 150 ms
        ch.qos.logback.classic.Logger renewer =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LockRenewer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        renewer.addAppender(logged);
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            AtomicInteger rounds = new AtomicInteger();
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < 8; t++) { // eight locks: eight renewals a tick that a release can race
                SharedLock lock = racing.lock("l" + t);
                loops.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        assertTrue(lock.tryAcquire());
                        assertTrue(lock.release(), "a hold renewed every 150 ms was lost");
                        rounds.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) loop.get(30, TimeUnit.SECONDS);
            System.out.println("racing the renewer: " + rounds + " acquire + release rounds over 8 locks");
            List<String> warnings = logged.list.stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .toList();
            assertEquals(List.of(), warnings, "after " + rounds + " acquire + release rounds");
        } finally {
            renewer.detachAppender(logged);
        }
    }

    @Test
    void pythonSemantics() throws Exception {
        SharedLock lock = m.lock("plain");
        assertThrows(IllegalMonitorStateException.class, lock::release, "release of a lock not held");
        assertTrue(lock.tryAcquire());
        assertFalse(threads.submit(() -> m.lock("plain").acquire(Duration.ofMillis(200)))
                .get(10, TimeUnit.SECONDS));
        assertFalse(lock.tryAcquire(), "a Lock is not re-entrant: its holder waits like anyone");
        lock.unlock();

        SharedLock r = m.rlock("re");
        r.acquire();
        r.acquire();
        assertTrue(threads.submit(() -> !m.rlock("re").tryAcquire()).get(10, TimeUnit.SECONDS));
        assertTrue(r.release());
        assertTrue(threads.submit(() -> !m.rlock("re").tryAcquire()).get(10, TimeUnit.SECONDS), "held once more");
        assertTrue(r.release());
        assertTrue(threads.submit(() -> {
                    SharedLock other = m.rlock("re");
                    boolean got = other.tryAcquire();
                    other.release();
                    return got;
                })
                .get(10, TimeUnit.SECONDS));
        assertThrows(IllegalMonitorStateException.class, r::release);
    }

    @Test
    void fencesGrowAndAStaleHoldersWriteIsRefused() throws Exception {
        SharedLock lock = m.lock("tickets");
        SharedValue<Integer> tickets = m.value("left", 20);
        Held first = lock.hold();
        long f1 = first.fence().token();
        tickets.set(19, first.fence());
        // its lease runs out (as if its process were paused): the hold's deadline is put in the past
        redis.raw().zadd(prefix + "{m:locks/tickets}:holders", 0, holderOf("tickets"));
        CountDownLatch readIt = new CountDownLatch(1);
        Future<Long> second = threads.submit(() -> {
            SharedLock mine = m.lock("tickets");
            try (Held h = mine.hold()) {
                assertEquals(19, tickets.get());
                readIt.countDown();
                return h.fence().token();
            }
        });
        long f2 = second.get(30, TimeUnit.SECONDS);
        assertTrue(f2 > f1, f2 + " > " + f1);
        StaleFenceException stale = assertThrows(StaleFenceException.class, () -> tickets.set(18, first.fence()));
        assertEquals(f2, stale.newest());
        assertEquals(19, tickets.get(), "the stale write changed nothing");
        assertFalse(first.release(), "its release says it had lost the lock");
        assertTrue(first.lost());
    }

    @Test
    void aStaleHolderIsRefusedEvenIfTheNewHolderOnlyReads() throws Exception {
        SharedLock lock = m.lock("g");
        SharedMap<String, Integer> d = m.dict("d");
        try (Held h = lock.hold()) {
            d.put("x", 1, h.fence()); // the lock now guards d
        }
        Held stale = lock.hold();
        redis.raw().zadd(prefix + "{m:locks/g}:holders", 0, holderOf("g"));
        assertTrue(threads.submit(() -> {
                    SharedLock mine = m.lock("g");
                    boolean got = mine.tryAcquire(); // reaps the stale hold; publishes its fence into d
                    mine.release();
                    return got;
                })
                .get(10, TimeUnit.SECONDS));
        assertThrows(StaleFenceException.class, () -> d.put("x", 2, stale.fence()));
        assertEquals(1, d.get("x"));
    }

    private String holderOf(String lock) {
        return redis.raw()
                .zrange(prefix + "{m:locks/" + lock + "}:holders", 0, 0)
                .get(0);
    }

    @Test
    void semaphoresCountPermitsAndABoundedOneRefusesOverRelease() throws Exception {
        SharedSemaphore s = m.semaphore("s", 2);
        assertTrue(s.tryAcquire());
        assertTrue(threads.submit(() -> m.semaphore("s", 2).tryAcquire()).get(10, TimeUnit.SECONDS));
        assertFalse(s.tryAcquire(), "both permits are held");
        assertEquals(0, s.availablePermits());
        assertTrue(s.release());
        assertEquals(1, s.availablePermits());

        SharedSemaphore b = m.boundedSemaphore("b", 1);
        assertTrue(b.tryAcquire());
        assertTrue(b.release());
        IllegalStateException over = assertThrows(IllegalStateException.class, b::release);
        assertTrue(over.getMessage().contains("bound of 1"), over.getMessage());
        assertTrue(m.semaphore("plain", 1).release(), "a plain Semaphore may go above its start");
    }

    @Test
    void badInputNamesTheRule() {
        m.lock("taken");
        assertThrows(WrongKindException.class, () -> m.semaphore("taken", 3));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> m.semaphore("z", 0));
        assertTrue(zero.getMessage().contains("1 or more permits"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.boundedSemaphore("n", -1));
        IllegalArgumentException lease =
                assertThrows(IllegalArgumentException.class, () -> m.lock("short", Duration.ofSeconds(1)));
        assertTrue(lease.getMessage().contains("3 renewals' worth of round trips"), lease.getMessage());
    }
}
