package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.ClientProbe;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Protocol;

/**
 * A caller of {@code apply} waiting alone reads its own reply (no hand-off from the reply thread), the
 * reply thread still serves everything else, and an idle client holds no blocking pop in Redis.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class OwnReplyIT {
    private static final String QUEUE = "own-reply";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRedis redis;
    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(redis, "own-reply-it", QUEUE, 2);
        pool = worker.pool(2);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void aLoneCallerOfApplyReadsItsOwnReply() throws Exception {
        long before = ClientProbe.repliesReadByCallers(worker.client());
        for (int i = 0; i < 200; i++) assertEquals(i * i, pool.apply(Square.class, i));
        long read = ClientProbe.repliesReadByCallers(worker.client()) - before;
        assertTrue(read >= 180, "replies the callers read themselves: " + read + " of 200");
    }

    @Test
    void applyWorksWhileTheReplyThreadServesAnotherTask() throws Exception {
        String gate = redis.prefix("gates") + "own-reply";
        AsyncResult<Integer> outstanding =
                pool.applyAsync(Nap.class, Nap.Plan.sleep(7, 0).gatedBy(redis.uri(), gate));
        for (int i = 0; i < 20; i++) assertEquals(i * i, pool.apply(Square.class, i));
        assertFalse(outstanding.ready(), "the gated task waits for its gate");
        worker.raw().rpush(gate, "open");
        assertEquals(7, outstanding.get(WAIT));
    }

    @Test
    void anInterruptedApplyThrowsWithinItsBlockAndTheNextApplyIsAnswered() throws Exception {
        AtomicReference<Thread> caller = new AtomicReference<>();
        String started = redis.prefix("marks") + "interrupted-started";
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                pool.apply(Nap.class, Nap.Plan.sleep(1, 3_000).markingStartIn(redis.uri(), started));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        // submitted, and reading its own reply since: its task started in a child
        Await.until(WAIT, "the task started", () -> worker.raw().exists(started));
        long interruptedAt = System.nanoTime();
        caller.get().interrupt();
        Throwable thrown = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - interruptedAt) / 1_000_000;
        assertInstanceOf(InterruptedException.class, thrown, String.valueOf(thrown));
        assertTrue(tookMs < 1_000, "apply took " + tookMs + " ms to see its interrupt");
        assertEquals(
                81, pool.apply(Square.class, 9), "the next apply, while the interrupted task's reply is still due");
    }

    @Test
    @Order(1) // first: a later test leaves an interrupted call's task running, rightly waited for
    void anIdleClientHoldsNoBlockingPop() throws Exception {
        redis.assumeOneNode("CLIENT LIST is one node's; a cluster is not this case");
        assertEquals(4, pool.apply(Square.class, 2));
        Await.until(WAIT, "no pop left blocked from the call", () -> !aClientIsBlockedInBlmpop());
        int seen = 0;
        for (int i = 0; i < 20; i++) { // 2 s: before, the reply thread blocked 500 ms at a time, for good
            if (aClientIsBlockedInBlmpop()) seen++;
            Thread.sleep(100); // the sampling interval
        }
        assertEquals(0, seen, "samples, of 20 over 2 s, with a client blocked in BLMPOP and nothing waited for");
    }

    private boolean aClientIsBlockedInBlmpop() {
        Object list = worker.raw().sendCommand(Protocol.Command.CLIENT, "LIST");
        String text = new String((byte[]) list, StandardCharsets.UTF_8);
        return Arrays.stream(text.split("\n")).anyMatch(l -> l.contains("cmd=blmpop") && l.contains("flags=b"));
    }
}
