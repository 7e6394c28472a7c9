package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.redis.Queues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /metrics series stay bounded: the busiest queues by name, the rest summed; the sweep's pace. */
class QueueSeriesTest {
    private static Queues.Depth depth(String name, long ready, long leased, long dead) {
        return new Queues.Depth(name, ready, 0, leased, dead, 0, 1);
    }

    @Test
    void theBusiestKeepSeriesAndTheRestAreSummedUnderOther() {
        List<Queues.Depth> depths = new ArrayList<>();
        for (int i = 0; i < 1000; i++) depths.add(depth("q" + i, i % 7 == 0 ? 0 : 1, 0, 1));
        depths.add(depth("deep", 500, 2, 0));
        depths.add(depth("running", 0, 9, 0));
        List<Queues.Depth> rows = QueueSeries.bounded(depths, 2);
        assertEquals(
                List.of("deep", "running", QueueSeries.OTHER),
                rows.stream().map(Queues.Depth::name).toList());
        Queues.Depth other = rows.get(2);
        assertEquals(1000 - 143, other.ready());
        assertEquals(1000, other.dead());
        assertEquals(1000, other.completed());
    }

    @Test
    void fewQueuesAreLeftAsTheyAre() {
        List<Queues.Depth> depths = List.of(depth("a", 0, 0, 0), depth("b", 3, 0, 0));
        assertEquals(depths, QueueSeries.bounded(depths, 2));
    }

    @Test
    void theSweepCoversTheRegistryInAMinuteAtMostAHundredPerTick() {
        assertEquals(1, QueueSweep.perTick(0, Duration.ofSeconds(1)));
        assertEquals(1, QueueSweep.perTick(10, Duration.ofSeconds(1)));
        assertEquals(17, QueueSweep.perTick(1000, Duration.ofSeconds(1)));
        assertEquals(100, QueueSweep.perTick(10_000, Duration.ofSeconds(1)));
        assertEquals(100, QueueSweep.perTick(1000, Duration.ofMinutes(2)));
    }
}
