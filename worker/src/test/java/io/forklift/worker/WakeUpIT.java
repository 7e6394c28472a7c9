package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle worker learns of new work from the wake token a submit leaves, not from its periodic
 * idle check. With the idle check set to two minutes, every one of these sequential applies would
 * wait two minutes if a single wake-up were lost (as one was, when a token arrived while a round
 * trip was out).
 */
@ExtendWith(RedisExtension.class)
class WakeUpIT {
    private static final int APPLIES = 300;

    @Test
    void sequentialAppliesAreWokenByTheirSubmitNotByTheIdleCheck(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "wake-w1", "wake", 8, "--idle-check", "PT120S");
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Pool pool = fl.pool("wake", 16);
            long t0 = System.nanoTime();
            for (int i = 0; i < APPLIES; i++) {
                assertEquals(i * i, pool.applyAsync(Square.class, i).get(Duration.ofSeconds(60)));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(seconds < 60, APPLIES + " sequential applies took " + seconds + " s: a wake-up was lost");
        }
    }
}
