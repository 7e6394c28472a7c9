package io.forklift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.embedded.EmbeddedRedis;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * AsyncResult.cancel() right after applyAsync, with no worker: the task may still be on its way to
 * Redis, and cancel must store it first and withdraw it, not call it ended and leave it queued.
 */
class CancelQueuedIT {
    /** Never runs: no worker serves this test's queue. */
    static final class Idle implements Task<Integer, Integer> {
        @Override
        public Integer call(Integer arg, TaskContext ctx) {
            return arg;
        }
    }

    @Test
    void cancelRightAfterApplyAsyncWithdrawsTheTask() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix("cq:"));
                JedisPooled raw = new JedisPooled(redis.uri())) {
            Pool pool = fl.pool("cancel-queued", 1);
            for (int i = 0; i < 50; i++) {
                AsyncResult<Integer> r = pool.applyAsync(Idle.class, i);
                assertTrue(r.cancel(), "run " + i + ": a task no worker took is withdrawn");
                CancellationException e = assertThrows(CancellationException.class, r::get);
                assertTrue(e.getMessage().contains("before it started"), e.getMessage());
            }
            String ready = fl.redis().keys().ready("cancel-queued");
            String msgs = fl.redis().keys().msgs("cancel-queued");
            assertEquals(0, raw.llen(ready), "nothing left in " + ready);
            assertEquals(0, raw.hlen(msgs), "nothing left in " + msgs);
        }
    }
}
