package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.forklift.Pool;
import io.forklift.ResultIterator;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import io.forklift.worker.tasks.Sum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code map}, {@code imap}, {@code imapUnordered} and {@code starmap} on a worker with three
 * children: results come back in argument order however the tasks finish, except from
 * {@code imapUnordered}, which yields them as they finish.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MapIT {
    private static final String QUEUE = "map";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRedis redis;
    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(redis, "map-it", QUEUE, 3);
        pool = worker.pool(3);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    /** Arguments 0..n-1, each sleeping longer the earlier it comes, so later ones finish first. */
    private static List<Nap.Plan> slowestFirst(int n, long stepMillis) {
        return IntStream.range(0, n)
                .mapToObj(i -> Nap.Plan.sleep(i, (n - i) * stepMillis))
                .toList();
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 4, 0})
    void mapReturnsResultsInArgumentOrder(int chunksize) throws Exception {
        assertEquals(upTo(10), pool.map(Nap.class, slowestFirst(10, 30), chunksize));
    }

    @Test
    void mapOfNothingIsEmpty() throws Exception {
        assertEquals(List.of(), pool.map(Square.class, List.<Integer>of(), 1));
    }

    @Test
    void imapYieldsInArgumentOrderWhileLaterTasksFinishFirst() throws Exception {
        String finished = redis.prefix("imap") + "finished";
        List<Nap.Plan> plans = slowestFirst(6, 100).stream()
                .map(p -> p.markingFinishIn(redis.uri(), finished))
                .toList();

        ResultIterator<Integer> results = pool.imap(Nap.class, plans, 1);
        List<Integer> yielded = new ArrayList<>();
        while (results.hasNext()) yielded.add(results.next(WAIT));

        assertEquals(upTo(6), yielded);
        List<String> finishOrder = worker.raw().lrange(finished, 0, -1);
        assertEquals(6, finishOrder.size());
        assertNotEquals(
                List.of("0", "1", "2", "3", "4", "5"),
                finishOrder,
                "the tasks finished in argument order, so this run did not test reordering");
    }

    @Test
    void imapUnorderedYieldsAFastTaskBeforeASlowerOneSubmittedEarlier() throws Exception {
        String gate = redis.prefix("unordered") + "gate";
        List<Nap.Plan> plans = List.of(Nap.Plan.sleep(0, 0).gatedBy(redis.uri(), gate), Nap.Plan.sleep(1, 0));

        ResultIterator<Integer> results = pool.imapUnordered(Nap.class, plans, 1);
        // The first task cannot end before the gate opens, so the second one must come first.
        assertEquals(1, results.next(WAIT));
        worker.raw().rpush(gate, "open");
        assertEquals(0, results.next(WAIT));
        assertFalse(results.hasNext());
    }

    @ParameterizedTest(name = "chunksize {0}")
    @ValueSource(ints = {1, 2})
    void starmapUnpacksEachArgumentList(int chunksize) throws Exception {
        List<List<Integer>> tuples = List.of(List.of(1, 2), List.of(3, 4, 5), List.of(10), List.of());
        assertEquals(List.of(3, 12, 10, 0), pool.starmap(Sum.class, tuples, chunksize));
    }
}
