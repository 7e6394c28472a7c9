package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.ResultTooLargeException;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import io.forklift.worker.tasks.Echo;
import io.forklift.worker.tasks.Square;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 100 MB task message written straight into a queue's keys is dead-lettered as {@code too_large}
 * by claim.lua without ever reaching the worker: the worker JVM runs with {@code -Xmx64m} and
 * {@code -XX:+ExitOnOutOfMemoryError}, so reading it would end the process. It keeps serving.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(120)
class TooLargeIT {
    private static final String QUEUE = "big";
    private static final int MESSAGE_MB = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Builds the message inside Redis, as a buggy or hostile writer would, without 100 MB passing through this JVM. */
    private static final String WRITE_RAW = "local body = string.rep('x', tonumber(ARGV[2]))\n"
            + "redis.call('HSET', KEYS[1], ARGV[1], '{\"v\":2,\"id\":\"' .. ARGV[1] .. '\",\"args\":[\"' .. body .. '\"]}')\n"
            + "redis.call('RPUSH', KEYS[2], ARGV[1])\n"
            + "redis.call('RPUSH', KEYS[3], '1')\n"
            + "return redis.call('HSTRLEN', KEYS[1], ARGV[1])";

    @Test
    void aHundredMegabyteMessageIsDeadLetteredWithoutEnteringTheWorkersHeap(TestRedis testRedis) throws Exception {
        Path log = Path.of("target", "it-logs", "big-w1.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Process worker = startSmallHeapWorker(testRedis, "big-w1", log);
        try (Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix(), Duration.ofSeconds(10), 2);
                Forklift fl =
                        Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(testRedis.prefix()))) {
            Await.until(
                    Duration.ofSeconds(60),
                    "worker big-w1 lists its child in its heartbeat; see " + log,
                    () -> new Workers(redis)
                            .read("big-w1")
                            .map(b -> !b.children().isEmpty())
                            .orElse(false));
            Pool pool = fl.pool(QUEUE, 1);
            assertEquals(4, pool.applyAsync(Square.class, 2).get(WAIT), "serves before");
            Keys keys = redis.keys();

            long size = (Long) testRedis
                    .raw()
                    .eval(
                            WRITE_RAW,
                            List.of(keys.msgs(QUEUE), keys.ready(QUEUE), keys.wake(QUEUE)),
                            List.of("ghost-1", Integer.toString(MESSAGE_MB * 1024 * 1024)));
            Await.until(
                    WAIT,
                    "a dead letter for ghost-1; see " + log,
                    () -> testRedis.raw().llen(keys.dead(QUEUE)) > 0);

            JsonNode dead = Json.MAPPER.readTree(testRedis.raw().lindex(keys.dead(QUEUE), 0));
            System.out.printf(
                    "too large: a %,d byte message was dead-lettered: %s%n",
                    size, dead.get("error").get("message").asText());
            assertEquals("ghost-1", dead.get("id").asText());
            assertEquals("too_large", dead.get("reason").asText());
            assertEquals("big-w1", dead.get("worker").asText());
            assertEquals("", dead.get("message").asText(), "the message is not copied into the record");
            String error = dead.get("error").get("message").asText();
            assertTrue(
                    error.contains(size + " bytes")
                            && error.contains("--max-payload")
                            && error.contains("dropped unread"),
                    error);
            assertFalse(testRedis.raw().hexists(keys.msgs(QUEUE), "ghost-1"), "the 100 MB message is gone from Redis");
            // A script cannot sign, so the failure reply it owes goes out with the worker's next round trip.
            Await.until(
                    WAIT,
                    "the failure reply to ghost",
                    () -> testRedis.raw().llen(keys.replyPrefix(QUEUE) + "ghost") > 0);
            JsonNode reply = Json.MAPPER.readTree(testRedis.raw().lindex(keys.replyPrefix(QUEUE) + "ghost", 0));
            assertEquals("ghost-1", reply.get("id").asText(), "the submitter named by the id gets a failure reply");
            assertFalse(reply.get("ok").asBoolean());

            assertTrue(worker.isAlive(), "the worker survives; see " + log);
            assertEquals(81, pool.applyAsync(Square.class, 9).get(WAIT), "serves after");
            assertFalse(
                    Files.readString(log).contains("OutOfMemoryError"), "the worker never ran out of heap; see " + log);
        } finally {
            worker.destroy();
            if (!worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) worker.destroyForcibly();
        }
    }

    /** A worker daemon whose heap could not hold the message: reading it would end the JVM. */
    private static Process startSmallHeapWorker(TestRedis redis, String id, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerCommand.class.getName(),
                "--id",
                id,
                "--redis",
                redis.uri(),
                "--prefix",
                redis.prefix(),
                "--queues",
                QUEUE,
                "--processes",
                "1"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void aResultOverTheWorkersLimitFailsItsTaskInsteadOfHanging(TestRedis testRedis) throws Exception {
        try (TestWorker worker = TestWorker.start(testRedis, "result-w1", "results", 1, "--max-result", "4096")) {
            Pool pool = worker.pool(1);
            AsyncResult<Object> big = pool.applyAsync(Echo.class, "y".repeat(10_000));
            ResultTooLargeException e = assertThrows(ResultTooLargeException.class, () -> big.get(WAIT));
            assertTrue(e.getMessage().contains("over the worker's --max-result of 4096"), e.getMessage());
            assertEquals("small", pool.applyAsync(Echo.class, "small").get(WAIT), "the worker serves on");
        }
    }
}
