package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Barrier against a real Redis: rounds, a timeout breaking it for all, abort, reset, a dead party, bad input. */
class BarrierIT extends ManagerSession {
    BarrierIT() {
        super("bar");
    }

    @Test
    void allPartiesPassTogetherRoundAfterRound() throws Exception {
        for (int round = 0; round < 2; round++) {
            List<Future<Integer>> parties = new ArrayList<>();
            for (int i = 0; i < 3; i++)
                parties.add(threads.submit(() -> m.barrier("b", 3).await()));
            Set<Integer> indexes = new TreeSet<>();
            for (Future<Integer> p : parties) indexes.add(p.get(30, TimeUnit.SECONDS));
            assertEquals(Set.of(0, 1, 2), indexes, "round " + round);
        }
        assertFalse(m.barrier("b", 3).isBroken());
    }

    @Test
    void aTimeoutBreaksItForEveryPartyUntilAReset() throws Exception {
        SharedBarrier b = m.barrier("t", 3);
        Future<Integer> patient = threads.submit(() -> m.barrier("t", 3).await());
        awaitWaiting(b, 1);
        assertThrows(TimeoutException.class, () -> b.await(Duration.ofMillis(200)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> patient.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, b::await, "broken until reset");
        b.reset();
        assertFalse(b.isBroken());
        Future<Integer> one = threads.submit(() -> m.barrier("t", 3).await());
        Future<Integer> two = threads.submit(() -> m.barrier("t", 3).await());
        awaitWaiting(b, 2);
        assertEquals(0, b.await(), "the last to arrive");
        assertEquals(Set.of(1, 2), Set.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void abortBreaksItForTheWaiters() throws Exception {
        SharedBarrier b = m.barrier("a", 2);
        Future<Integer> waiting = threads.submit(() -> m.barrier("a", 2).await());
        awaitWaiting(b, 1);
        b.abort();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
    }

    @Test
    void aPartyWhoseProcessStoppedRenewingBreaksIt() throws Exception {
        SharedBarrier b = m.barrier("d", 2);
        // a party that arrived and then died: in the line, its arrival's lease long past
        redis.raw().rpush(prefix + "{m:bar/d}:line", "dead.1");
        redis.raw().zadd(prefix + "{m:bar/d}:waits", 0, "dead.1");
        assertThrows(BrokenBarrierException.class, b::await);
        assertTrue(b.isBroken());
    }

    @Test
    void badInputNamesTheRule() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> m.barrier("z", 0));
        assertTrue(zero.getMessage().contains("1 or more parties"), zero.getMessage());
        m.lock("l");
        assertThrows(WrongKindException.class, () -> m.barrier("l", 2));
        m.barrier("two", 2);
        assertThrows(IllegalArgumentException.class, () -> m.barrier("two", 3));
    }

    private static void awaitWaiting(SharedBarrier b, int n) throws InterruptedException {
        await(n + " parties never arrived", () -> b.getNumberWaiting() >= n);
    }
}
