package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.UnknownTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task name no worker has registered fails with {@link UnknownTaskException}; the worker goes on serving. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class UnknownTaskIT {
    private static final String QUEUE = "unknown-tasks";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestWorker worker;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "unknown-task-it", QUEUE, 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void anUnknownNameFailsWithItsNameQueueAndWorkerAndTheWorkerGoesOn() throws Exception {
        Pool pool = worker.pool(1);
        List<Long> childrenBefore = worker.children();

        AsyncResult<JsonNode> result = pool.applyAsync("no.such.Task", 1, null, null);
        UnknownTaskException e = assertThrows(UnknownTaskException.class, () -> result.get(WAIT));

        assertTrue(e.getMessage().contains("no.such.Task"), e.getMessage());
        assertTrue(e.getMessage().contains(QUEUE), "the message does not name the queue: " + e.getMessage());
        assertTrue(e.getMessage().contains(worker.id()), "the message does not name the worker: " + e.getMessage());
        assertEquals(UnknownTaskException.class.getName(), e.remoteType());

        assertEquals(49, pool.apply(Square.class, 7), "the worker stopped serving after an unknown task");
        assertEquals(childrenBefore, worker.children(), "the unknown task cost a child");
    }
}
