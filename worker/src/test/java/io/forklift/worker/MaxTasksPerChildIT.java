package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.WhoAmI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --max-tasks-per-child 2} replaces a child after its second task, as Python's {@code maxtasksperchild}. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MaxTasksPerChildIT {
    private static final String QUEUE = "recycle";

    private TestWorker worker;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "max-tasks-it", QUEUE, 1, "--max-tasks-per-child", "2");
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void eachChildRunsAtMostTwoTasks() throws Exception {
        Pool pool = worker.pool(1);
        List<AsyncResult<WhoAmI.Seen>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) results.add(pool.applyAsync(WhoAmI.class, i));

        Map<Long, Integer> tasksPerPid = new TreeMap<>();
        for (AsyncResult<WhoAmI.Seen> r : results)
            tasksPerPid.merge(r.get(Duration.ofSeconds(60)).pid(), 1, Integer::sum);

        assertTrue(tasksPerPid.size() >= 5, "10 tasks ran in only " + tasksPerPid.size() + " children: " + tasksPerPid);
        assertTrue(
                tasksPerPid.values().stream().allMatch(n -> n <= 2), "a child ran more than 2 tasks: " + tasksPerPid);
        assertFalse(tasksPerPid.containsKey(ProcessHandle.current().pid()));
    }
}
