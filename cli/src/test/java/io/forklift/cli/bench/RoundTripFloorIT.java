package io.forklift.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bench's round-trip floor makes its round trips through a real Redis and a real child JVM, each
 * answer checked against what was sent, and leaves neither the child nor its keys behind.
 */
@ExtendWith(RedisExtension.class)
@Timeout(60)
class RoundTripFloorIT {
    @Test
    void roundTripsGoThroughRedisAndAChildAndCloseLeavesNothingBehind(TestRedis redis) throws Exception {
        redis.assumeOneNode("the floor speaks to one Redis node; a cluster is not its case");
        long child;
        try (RoundTripFloor floor = RoundTripFloor.start(redis.uri(), redis.prefix())) {
            child = floor.childPid();
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child runs");
            Histogram h = new Histogram(60_000_000L, 3);
            floor.measure(h, 200);
            assertEquals(200, h.getTotalCount());
            assertTrue(h.getMinValue() > 0, "each round trip took some time");
        }
        Optional<ProcessHandle> left = ProcessHandle.of(child);
        assertFalse(left.isPresent() && left.get().isAlive(), "the floor's child " + child + " outlived close()");
        assertEquals(0, redis.raw().exists(redis.prefix() + "floor:tasks", redis.prefix() + "floor:replies"));
    }
}
