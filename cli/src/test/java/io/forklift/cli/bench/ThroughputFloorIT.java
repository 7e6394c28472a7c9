package io.forklift.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bench's throughput floor sends every message through a real Redis and real child JVMs, each
 * answer checked against what was sent, no answer more or less than sent, and leaves neither the
 * children nor its keys behind.
 */
@ExtendWith(RedisExtension.class)
@Timeout(90)
class ThroughputFloorIT {
    @Test
    void everyMessageGoesThroughAChildOnceAndCloseLeavesNothingBehind(TestRedis redis) throws Exception {
        redis.assumeOneNode("the floor speaks to one Redis node; a cluster is not its case");
        String tasks = redis.prefix() + "floor:batch-tasks";
        String replies = redis.prefix() + "floor:batch-replies";
        List<Long> children;
        try (ThroughputFloor floor = ThroughputFloor.start(redis.uri(), redis.prefix(), 3)) {
            children = floor.childPids();
            assertEquals(3, children.size());
            double perSecond = floor.measure(1_234); // not a multiple of either batch
            assertTrue(perSecond > 0, "tasks per second: " + perSecond);
            assertEquals(0, redis.raw().llen(tasks), "every message was taken");
            assertEquals(0, redis.raw().llen(replies), "no answer beyond the 1,234 sent");
            assertTrue(floor.measure(500) > 0, "a second run on the same floor");
        }
        for (long pid : children) {
            assertTrue(
                    ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true),
                    "the floor's child " + pid + " outlived close()");
        }
        assertEquals(0, redis.raw().exists(tasks, replies));
    }
}
