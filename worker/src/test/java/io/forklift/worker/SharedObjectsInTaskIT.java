package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.manager.Connection;
import io.forklift.manager.Manager;
import io.forklift.manager.Pipe;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedLock;
import io.forklift.manager.SharedMap;
import io.forklift.manager.SharedQueue;
import io.forklift.manager.SharedValue;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.DictAndList;
import io.forklift.worker.tasks.PipeSon;
import io.forklift.worker.tasks.Produce;
import io.forklift.worker.tasks.TakeLock;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared objects passed to tasks arrive in real child JVMs as live proxies of the same objects,
 * bound to the Redis the worker handed over in the set-up frame; a child's pipe ends close when its
 * task ends.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class SharedObjectsInTaskIT {
    private static final String QUEUE = "objects";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestWorker worker;
    private Pool pool;
    private Manager m;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "objects-it", QUEUE, 3);
        pool = worker.pool(3);
        m = worker.client().manager("it");
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void tasksPutIntoAQueueTheParentReads() throws Exception {
        SharedQueue<Integer> q = m.queue("from-tasks", 3, Integer.class);
        Path ledger = Files.createTempFile("produce", ".ledger");
        List<AsyncResult<Integer>> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            producers.add(pool.applyAsync(Produce.class, new Produce.Args(q, p * 10, 10, 0, ledger.toString())));
        }
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 20; i++) got.add(q.get(WAIT));
        for (AsyncResult<Integer> r : producers) assertEquals(10, r.get(WAIT));
        assertEquals(
                IntStream.range(0, 20).boxed().toList(), got.stream().sorted().toList());
        Files.delete(ledger);
    }

    /** 8 producers in 3 processes: two tasks' children and six threads here; the queue never holds more than 5. */
    @Test
    void maxsizeHoldsWithEightProducersInThreeProcesses() throws Exception {
        SharedQueue<Integer> q = m.queue("bounded", 5, Integer.class);
        Path ledger = Files.createTempFile("bounded", ".ledger");
        List<AsyncResult<Integer>> tasks = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            tasks.add(pool.applyAsync(Produce.class, new Produce.Args(q, p * 100, 100, 0, ledger.toString())));
        }
        List<java.util.concurrent.CompletableFuture<Void>> threads = new ArrayList<>();
        for (int t = 2; t < 8; t++) {
            int first = t * 100;
            threads.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = first; i < first + 100; i++) q.put(i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Integer> got = new ArrayList<>();
        int most = 0;
        while (got.size() < 800) {
            most = Math.max(most, q.qsize());
            got.add(q.get(WAIT));
        }
        for (AsyncResult<Integer> r : tasks) assertEquals(100, r.get(WAIT));
        for (java.util.concurrent.CompletableFuture<Void> t : threads) t.get();
        assertTrue(most <= 5, "the queue held " + most + " values, over its maxsize 5");
        assertEquals(
                IntStream.range(0, 800).boxed().toList(), got.stream().sorted().toList());
        Files.delete(ledger);
    }

    @Test
    void pipeExchangeWithATaskThenEndOfStream() throws Exception {
        Pipe p = m.pipe("talk", true);
        Connection parent = p.left();
        AsyncResult<String> son = pool.applyAsync(PipeSon.class, new PipeSon.Args(p.right(), true));
        assertEquals("from son", parent.recv());
        p.right().close(); // the parent's copy; the son holds the right end now
        parent.send("from father");
        assertEquals("from father", son.get(WAIT));
        assertThrows(EOFException.class, parent::recv);
    }

    @Test
    void aTaskThatEndsWithoutClosingItsEndClosesIt() throws Exception {
        Pipe p = m.pipe("forgetful", true);
        AsyncResult<String> son = pool.applyAsync(PipeSon.class, new PipeSon.Args(p.right(), false));
        assertEquals("from son", p.left().recv());
        p.right().close();
        p.left().send("bye");
        assertEquals("bye", son.get(WAIT));
        assertThrows(EOFException.class, p.left()::recv);
    }

    @Test
    void aLockATaskEndsHoldingIsReleasedAtItsEnd() throws Exception {
        SharedLock lock = m.lock("left-held");
        long fence = pool.apply(TakeLock.class, lock);
        assertTrue(lock.acquire(Duration.ofSeconds(2)), "the child released it when the task ended, not a lease later");
        assertTrue(lock.fence().token() > fence);
        assertTrue(lock.release());
    }

    @Test
    void tenTasksWriteADictAndReverseAList() throws Exception {
        SharedMap<Object, Object> d = m.dict("d");
        SharedList<Integer> l = m.list("l", IntStream.range(0, 10).boxed().toList());
        SharedValue<Long> runs = m.value("runs", 0L);
        List<AsyncResult<Long>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) all.add(pool.applyAsync(DictAndList.class, new DictAndList.Args(d, l, runs)));
        for (AsyncResult<Long> r : all) assertTrue(r.get(WAIT) <= 10);
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put(1, "1");
        expected.put("2", 2);
        expected.put(0.25, null);
        assertEquals(expected, new LinkedHashMap<>(d));
        assertEquals(IntStream.range(0, 10).boxed().toList(), l.snapshot(), "ten atomic reversals");
        assertEquals(10L, runs.get());
    }
}
