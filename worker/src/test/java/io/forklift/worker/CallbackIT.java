package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Explode;
import io.forklift.worker.tasks.WhoAmI;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callbacks of {@code applyAsync} run in the submitting program, on its one callback thread, one at
 * a time, while the tasks run in the worker's children; the error callback gets the remote failure.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CallbackIT {
    private static final String QUEUE = "callbacks";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "callback-it", QUEUE, 2);
        pool = worker.pool(2);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void callbacksRunInTheSubmitterOnOneThreadOneAtATime() throws Exception {
        long here = ProcessHandle.current().pid();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Set<Long> callbackPids = ConcurrentHashMap.newKeySet();
        Set<Long> childPids = ConcurrentHashMap.newKeySet();
        Set<String> called = ConcurrentHashMap.newKeySet();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();

        List<AsyncResult<WhoAmI.Seen>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.applyAsync(
                    WhoAmI.class,
                    i,
                    seen -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        threads.add(Thread.currentThread());
                        callbackPids.add(ProcessHandle.current().pid());
                        childPids.add(seen.pid());
                        try {
                            Thread.sleep(
                                    5); // the callback's workload: a window in which a second callback would overlap
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        called.add(seen.taskId());
                        inside.decrementAndGet();
                    },
                    errors::add));
        }
        for (AsyncResult<WhoAmI.Seen> r : results) {
            WhoAmI.Seen seen = r.get(WAIT);
            assertTrue(called.contains(seen.taskId()), "get() returned before the callback of " + r.id() + " ran");
        }

        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(20, called.size());
        assertEquals(1, mostInside.get(), "callbacks overlapped");
        assertEquals(1, threads.size(), "callbacks ran on several threads: " + threads);
        Thread callbackThread = threads.iterator().next();
        assertEquals("forklift-callbacks", callbackThread.getName());
        assertNotEquals(Thread.currentThread(), callbackThread);
        assertEquals(Set.of(here), callbackPids, "callbacks ran outside the submitting JVM");
        assertFalse(childPids.contains(here), "a task ran in the submitting JVM");
        assertTrue(
                worker.children().containsAll(childPids),
                "tasks ran in " + childPids + ", children are " + worker.children());
    }

    @Test
    void theErrorCallbackGetsTheRemoteTypeMessageAndStack() throws Exception {
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Set<Thread> errorThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger successes = new AtomicInteger();

        AsyncResult<Void> result = pool.applyAsync(Explode.class, "boom 42", v -> successes.incrementAndGet(), e -> {
            errorThreads.add(Thread.currentThread());
            errors.add(e);
        });
        RemoteTaskException thrown = assertThrows(RemoteTaskException.class, () -> result.get(WAIT));

        assertEquals(0, successes.get());
        assertFalse(result.successful());
        assertEquals(1, errors.size(), "error callback calls: " + errors);
        RemoteTaskException e = assertInstanceOf(RemoteTaskException.class, errors.peek());
        assertSame(e, thrown, "get() and the error callback disagree");
        assertEquals(
                List.of("forklift-callbacks"),
                errorThreads.stream().map(Thread::getName).toList());

        assertEquals(IllegalStateException.class.getName(), e.remoteType());
        assertEquals("boom 42", e.remoteMessage());
        assertEquals(result.id(), e.taskId());
        assertTrue(
                Arrays.stream(e.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(Explode.class.getName())
                                && f.getMethodName().equals("explode")),
                "remote stack lacks Explode.explode: " + Arrays.toString(e.getStackTrace()));
        RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertEquals(IOException.class.getName(), cause.remoteType());
        assertEquals(Explode.CAUSE_MESSAGE, cause.remoteMessage());
    }
}
