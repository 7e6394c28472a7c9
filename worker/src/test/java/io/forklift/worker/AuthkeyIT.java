package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.InvalidTaskException;
import io.forklift.Pool;
import io.forklift.RetryPolicy;
import io.forklift.redis.Keys;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.TaskMessage;
import io.forklift.worker.tasks.Echo;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * With an authkey, write access to Redis is not enough: a party that has the Redis password but not
 * the key writes task messages of every kind (unsigned, signed with another key, altered, replayed,
 * expired) and forged replies, and nothing of theirs runs and no result of theirs is accepted, while
 * the cluster's own tasks run and deliver.
 */
@ExtendWith(RedisExtension.class)
@Timeout(180)
class AuthkeyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUEUE = "signed";
    private static final Authkey KEY = Authkey.of(List.of("the-cluster-secret-0123456789abcdef"));
    private static final Authkey MALLORY = Authkey.of(List.of("mallory-guesses-0123456789abcdefgh"));

    @Test
    void someoneWithRedisButNotTheAuthkeyRunsNothingAndSettlesNothing(TestRedis redis, @TempDir Path dir)
            throws Exception {
        Path keyFile = Files.writeString(dir.resolve("authkey"), "the-cluster-secret-0123456789abcdef\n");
        try (TestWorker worker = TestWorker.start(
                        redis, "signed-w1", QUEUE, 1, "--authkey-file", keyFile.toString(), "--max-payload", "4096");
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri())
                        .withPrefix(redis.prefix())
                        .withAuthkey(KEY)
                        .withMaxPayloadBytes(64 * 1024))) {
            UnifiedJedis raw = worker.raw();
            Keys keys = worker.redis().keys();
            Pool pool = fl.pool(QUEUE, 1);
            assertEquals(9, pool.apply(Square.class, 3), "the cluster's own signed tasks run");

            String ran = redis.prefix() + "attacker-ran";
            String unsigned = message("mallory-1", redis.uri(), ran);
            assertEquals("bad_signature", push(raw, keys, "mallory-1", unsigned), "unsigned");
            assertEquals(
                    "bad_signature",
                    push(
                            raw,
                            keys,
                            "mallory-2",
                            MALLORY.sign(Authkey.TASK, QUEUE, later(), message("mallory-2", redis.uri(), ran))),
                    "another key");
            String genuine = KEY.sign(Authkey.TASK, QUEUE, later(), message("mallory-3", redis.uri(), ran));
            String altered = genuine.replace(Nap.class.getName(), Square.class.getName());
            assertEquals("bad_signature", push(raw, keys, "mallory-3", altered), "altered after signing");
            assertEquals(
                    "bad_signature",
                    push(
                            raw,
                            keys,
                            "mallory-4",
                            KEY.sign(Authkey.TASK, "other", later(), message("mallory-4", redis.uri(), ran))),
                    "signed for another queue");
            assertEquals(
                    "expired",
                    push(
                            raw,
                            keys,
                            "mallory-5",
                            KEY.sign(
                                    Authkey.TASK,
                                    QUEUE,
                                    System.currentTimeMillis() - 1,
                                    message("mallory-5", redis.uri(), ran))),
                    "expired");

            // An id whose sequence is past a done bitmap's 2^32 bits (no client makes one) is refused as
            // any unsigned message is; it must not fail the claim script, which would stop the queue for good.
            assertEquals("bad_signature", push(raw, keys, "mallory-zzzzzzzzzzzz", unsigned), "a huge sequence");

            // A genuine message runs once; the same bytes pushed again after it ran are refused.
            String legit = KEY.sign(
                    Authkey.TASK, QUEUE, later(), message("copied-1", redis.uri(), redis.prefix() + "legit-ran"));
            push(raw, keys, "copied-1", legit, false);
            Await.until(WAIT, "the genuine message ran", () -> raw.llen(redis.prefix() + "legit-ran") == 1);
            Await.until(WAIT, "its completion is stored", () -> !raw.hexists(keys.msgs(QUEUE), "copied-1"));
            assertEquals("replayed", push(raw, keys, "copied-1", legit), "a copy pushed again after it ran");
            assertEquals(1, raw.llen(redis.prefix() + "legit-ran"), "it ran once");
            assertEquals(0, raw.llen(ran), "nothing the attacker wrote ran");

            // A forged reply for a task still running is refused; the real result arrives after it.
            String gate = redis.prefix() + "gate";
            AsyncResult<Integer> waiting =
                    pool.applyAsync(Nap.class, Nap.Plan.sleep(42, 0).gatedBy(redis.uri(), gate));
            String replies = keys.reply(QUEUE, fl.clientId());
            String forged =
                    "{\"id\":\"" + waiting.id() + "\",\"ok\":true,\"result\":666,\"worker\":\"w\",\"attempt\":1}";
            raw.rpush(replies, forged, MALLORY.sign(Authkey.REPLY, fl.clientId(), later(), forged));
            Await.until(WAIT, "both forged replies are refused", () -> fl.refusedReplies() == 2);
            assertFalse(waiting.ready(), "a forged reply settles nothing");
            raw.rpush(gate, "open");
            assertEquals(42, waiting.get(WAIT), "the task's real result still arrives");

            // A message too large for the worker is dropped unread by claim.lua; the failure its client is
            // owed cannot be signed by a script, so the worker signs and delivers it.
            AsyncResult<Object> tooLarge = pool.applyAsync(Echo.class, "x".repeat(10_000));
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> tooLarge.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(InvalidTaskException.class, e.getCause(), e.toString());
            assertTrue(
                    e.getCause().getMessage().contains("--max-payload"),
                    e.getCause().getMessage());
            assertEquals(2, fl.refusedReplies(), "the worker's signed failure reply was accepted");
        }
    }

    @Test
    void aQueueCapWrittenWithoutTheAuthkeyIsIgnored(TestRedis redis, @TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("authkey"), "the-cluster-secret-0123456789abcdef\n");
        try (TestWorker worker =
                        TestWorker.start(redis, "capped-w1", "capped", 2, "--authkey-file", keyFile.toString());
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri())
                        .withPrefix(redis.prefix())
                        .withAuthkey(KEY))) {
            Pool pool = fl.pool("capped", 2); // the pool's own cap, signed: the worker honours it
            worker.raw().hset(worker.redis().keys().meta("capped"), "concurrency", "1"); // an unsigned --max-running
            Await.logSays(WAIT, worker.log(), "ignoring its cap 1: it was written without the authkey");
            String started = redis.prefix() + "cap-started";
            String gate = redis.prefix() + "cap-gate";
            List<AsyncResult<Integer>> both = List.of(
                    pool.applyAsync(
                            Nap.class,
                            Nap.Plan.sleep(1, 0)
                                    .markingStartIn(redis.uri(), started)
                                    .gatedBy(redis.uri(), gate)),
                    pool.applyAsync(
                            Nap.class,
                            Nap.Plan.sleep(2, 0)
                                    .markingStartIn(redis.uri(), started)
                                    .gatedBy(redis.uri(), gate)));
            Await.until(
                    WAIT,
                    "both tasks run at once, as the signed cap of 2 allows",
                    () -> worker.raw().llen(started) == 2);
            worker.raw().rpush(gate, "open", "open");
            assertEquals(1, both.get(0).get(WAIT));
            assertEquals(2, both.get(1).get(WAIT));
        }
    }

    @Test
    void aPoolCapRaisedWithoutTheAuthkeyIsIgnored(TestRedis redis, @TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("authkey"), "the-cluster-secret-0123456789abcdef\n");
        try (TestWorker worker =
                        TestWorker.start(redis, "pool-cap-w1", "pool-capped", 3, "--authkey-file", keyFile.toString());
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri())
                        .withPrefix(redis.prefix())
                        .withAuthkey(KEY))) {
            Pool pool = fl.pool("pool-capped", 1); // signed: the worker honours it
            io.forklift.worker.tasks.Counted.Probe probe = new io.forklift.worker.tasks.Counted.Probe(
                    redis.uri(), redis.prefix() + "pc-running", redis.prefix() + "pc-peak", 500);
            // A pool's task starts only once the worker verified its cap: after this one, it knows 1.
            assertEquals(
                    1L,
                    pool.applyAsync(io.forklift.worker.tasks.Counted.class, probe)
                            .get(WAIT));
            String pools = worker.redis().keys().pools("pool-capped");
            String id = worker.raw().hkeys(pools).stream()
                    .filter(f -> !f.endsWith(":sig"))
                    .findFirst()
                    .orElseThrow();
            // Raised by someone without the key, again and again: the client writes its cap back at
            // each renewal of its lease, so a single write would not last.
            java.util.concurrent.ScheduledExecutorService tamper =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                tamper.scheduleWithFixedDelay(
                        () -> worker.raw().hset(pools, id, "3"), 0, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
                Await.logSays(WAIT, worker.log(), "ignoring its cap 3: its signature is for 1");
                List<AsyncResult<Long>> three = List.of(
                        pool.applyAsync(io.forklift.worker.tasks.Counted.class, probe),
                        pool.applyAsync(io.forklift.worker.tasks.Counted.class, probe),
                        pool.applyAsync(io.forklift.worker.tasks.Counted.class, probe));
                for (AsyncResult<Long> r : three) assertEquals(1L, r.get(WAIT), "a task started beside another");
            } finally {
                tamper.shutdownNow();
            }
            assertEquals("1", worker.raw().get(probe.peak()), "the signed cap of 1 held on 3 idle children");
        }
    }

    private static long later() {
        return System.currentTimeMillis() + Duration.ofHours(1).toMillis();
    }

    /** A Nap task message that, if it ever runs, pushes its start to {@code ranKey}. */
    private static String message(String id, String redisUri, String ranKey) throws Exception {
        JsonNode plan = Json.MAPPER.valueToTree(Nap.Plan.sleep(1, 0).markingStartIn(redisUri, ranKey));
        return Json.MAPPER.writeValueAsString(new TaskMessage(
                TaskMessage.VERSION,
                id,
                QUEUE,
                Nap.class.getName(),
                Json.MAPPER.createArrayNode().add(plan),
                false,
                id.substring(0, id.indexOf('-')),
                0,
                RetryPolicy.NONE,
                System.currentTimeMillis()));
    }

    /** Writes a message straight into the queue's keys and returns the reason it was dead-lettered for. */
    private static String push(UnifiedJedis raw, Keys keys, String id, String stored) throws Exception {
        return push(raw, keys, id, stored, true);
    }

    private static String push(UnifiedJedis raw, Keys keys, String id, String stored, boolean expectDead)
            throws Exception {
        long deadBefore = raw.llen(keys.dead(QUEUE));
        raw.hset(keys.msgs(QUEUE), id, stored);
        raw.rpush(keys.ready(QUEUE), id);
        raw.rpush(keys.wake(QUEUE), "1");
        if (!expectDead) return null;
        Await.until(WAIT, "a dead letter for " + id, () -> raw.llen(keys.dead(QUEUE)) > deadBefore);
        JsonNode record = Json.MAPPER.readTree(raw.lindex(keys.dead(QUEUE), -1));
        assertEquals(id, record.get("id").asText(), record.toString());
        return record.get("reason").asText();
    }
}
