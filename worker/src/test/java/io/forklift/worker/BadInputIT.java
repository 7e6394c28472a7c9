package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.PayloadTooLargeException;
import io.forklift.Pool;
import io.forklift.redis.Keys;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import io.forklift.worker.tasks.Echo;
import io.forklift.worker.tasks.Square;
import io.forklift.worker.tasks.Tripwire;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input written straight into a queue's keys is dead-lettered with a reason and the raw bytes,
 * and the worker keeps serving; a payload over the limit is refused before anything is written.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BadInputIT {
    private static final String QUEUE = "bad";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestWorker worker;
    private Forklift forklift;
    private Pool pool;
    private Keys keys;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "bad-w1", QUEUE, 1);
        forklift = Forklift.connect(
                ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()).withMaxPayloadBytes(1024 * 1024));
        pool = forklift.pool(QUEUE, 1);
        keys = worker.redis().keys();
    }

    @AfterAll
    void stop() throws Exception {
        if (forklift != null) forklift.close();
        if (worker != null) worker.close();
    }

    @Test
    void malformedJsonIsDeadLetteredWithItsRawBytes() throws Exception {
        JsonNode dead = pushRaw("raw-1", "{\"v\":2,\"id\":\"raw-1\", this is not json");
        assertEquals("invalid_json", dead.get("reason").asText());
        assertEquals(
                "{\"v\":2,\"id\":\"raw-1\", this is not json",
                dead.get("message").asText());
        assertStillServing();
    }

    @Test
    void aDeadLetterAnswersTheClientItsIdNames() throws Exception {
        JsonNode dead = pushRaw("waiter-7", "{\"v\":2,\"id\":\"waiter-7\", broken");
        assertEquals("invalid_json", dead.get("reason").asText());
        String replies = keys.reply(QUEUE, "waiter");
        Await.until(
                WAIT, "a failure reply to client 'waiter'", () -> worker.raw().llen(replies) > 0);
        JsonNode reply = Json.MAPPER.readTree(worker.raw().lindex(replies, 0));
        assertEquals("waiter-7", reply.get("id").asText());
        assertEquals(
                "io.forklift.InvalidTaskException",
                reply.get("error").get("type").asText());
    }

    @Test
    void anIdThousandsOfBytesLongIsDroppedUnreadInClaim() throws Exception {
        String id = "x".repeat(70_000) + "-1"; // over 65,535 bytes, which once overflowed the child protocol's length
        JsonNode dead = pushRaw(id, "{\"v\":2,\"id\":\"" + id + "\"}");
        assertEquals("invalid_id", dead.get("reason").asText());
        assertEquals("", dead.get("message").asText(), "its message was not read");
        assertStillServing();
    }

    @Test
    void argumentsDeeperThanAWorkerReadsAreRefusedBeforeSending() throws Exception {
        Object deep = 1;
        for (int i = 0; i < 300; i++) deep = List.of(deep);
        Object argument = deep;
        long before = worker.raw().hlen(keys.msgs(QUEUE));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(Echo.class, argument));
        assertTrue(e.getMessage().contains("nest deeper than"), e.getMessage());
        assertEquals(before, worker.raw().hlen(keys.msgs(QUEUE)), "nothing was written");
        assertStillServing();
    }

    @Test
    void theWrongShapeIsDeadLetteredAsSchema() throws Exception {
        JsonNode dead = pushRaw(
                "raw-2", "{\"v\":99,\"id\":\"raw-2\",\"queue\":\"bad\",\"task\":\"x\",\"args\":[1],\"client\":\"c\"}");
        assertEquals("schema", dead.get("reason").asText());
        assertTrue(dead.get("error").get("message").asText().contains("unknown wire version 99"), dead.toString());
        assertStillServing();
    }

    @Test
    void aHundredThousandDeepArrayIsRejectedByTheParserNotTheStack() throws Exception {
        String deep = "{\"v\":2,\"id\":\"raw-3\",\"args\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        JsonNode dead = pushRaw("raw-3", deep);
        assertEquals("invalid_json", dead.get("reason").asText());
        assertTrue(dead.get("error").get("message").asText().toLowerCase().contains("nesting depth"), dead.toString());
        assertStillServing();
    }

    @Test
    void javaSerializedBytesAreInvalidJson() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(List.of("java.lang.Runtime"));
        }
        JsonNode dead = pushRaw("raw-4", new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
        assertEquals("invalid_json", dead.get("reason").asText());
        assertStillServing();
    }

    @Test
    void aJdkClassAsTaskNameIsAnUnknownTask() throws Exception {
        JsonNode dead = pushRaw(
                "raw-5",
                "{\"v\":2,\"id\":\"raw-5\",\"queue\":\"bad\",\"task\":\"java.lang.Runtime\",\"args\":[1],\"client\":\"c\"}");
        assertEquals("unknown_task", dead.get("reason").asText());
        assertStillServing();
    }

    @Test
    void typeHintsInArgumentsArePlainData() throws Exception {
        Files.deleteIfExists(Tripwire.MARK);
        Map<String, Object> hinted =
                Map.of("@class", Tripwire.class.getName(), "payload", List.of("java.lang.ProcessBuilder", "touch"));
        Object echoed = pool.applyAsync(Echo.class, (Object) hinted).get(WAIT);
        assertEquals(hinted, echoed, "the hint comes back as a plain map");
        assertFalse(Files.exists(Tripwire.MARK), "nothing was instantiated from the \"@class\" hint");
        assertStillServing();
    }

    @Test
    void aPayloadOverTheLimitThrowsBeforeAnythingIsWritten() throws Exception {
        long before = worker.raw().hlen(keys.msgs(QUEUE));
        PayloadTooLargeException e = assertThrows(
                PayloadTooLargeException.class,
                () -> pool.applyAsync(Square.class.getName(), "x".repeat(2 * 1024 * 1024), null, null));
        assertTrue(e.getMessage().contains("over the limit of " + 1024 * 1024), e.getMessage());
        assertEquals(before, worker.raw().hlen(keys.msgs(QUEUE)), "nothing was written");
        assertStillServing();
    }

    /**
     * Thousands of bad messages leave the daemon's heap where it was: its live bytes after a full
     * GC (as {@code jcmd GC.class_histogram} counts them) barely move across 5,000 messages of
     * 8 KB, 40 MB in all, so no part of them is kept.
     */
    @Test
    void theDaemonsHeapStaysFlatAcrossThousandsOfBadMessages() throws Exception {
        String padding = "x".repeat(8 * 1024);
        String[] kinds = {
            "{\"v\":2,\"id\":\"%s\", not json " + padding,
            "{\"v\":7,\"id\":\"%s\",\"queue\":\"bad\",\"task\":\"x\",\"args\":[\"" + padding + "\"],\"client\":\"c\"}",
            "{\"v\":2,\"id\":\"%s\",\"queue\":\"bad\",\"task\":\"no.such.Task\",\"args\":[\"" + padding
                    + "\"],\"client\":\"c\"}"
        };
        long pid = worker.process().process().pid();
        pushBad("warm", 1_000, kinds);
        long before = liveHeapBytes(pid);
        pushBad("flood", 5_000, kinds);
        long after = liveHeapBytes(pid);
        System.out.printf(
                "worker live heap after a full GC: %,d bytes after 1,000 bad messages, %,d after 5,000 more%n",
                before, after);
        assertTrue(
                after - before < 8L * 1024 * 1024,
                "live heap grew by " + (after - before)
                        + " bytes across 5,000 bad messages (40 MB); something keeps them");
        assertStillServing();
    }

    private void pushBad(String prefix, int count, String[] kinds) throws Exception {
        var jedis = worker.raw();
        long deadBefore = jedis.llen(keys.dead(QUEUE));
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            jedis.hset(keys.msgs(QUEUE), id, String.format(kinds[i % kinds.length], id));
            jedis.rpush(keys.ready(QUEUE), id);
        }
        jedis.rpush(keys.wake(QUEUE), "1");
        Await.until(
                Duration.ofSeconds(90),
                count + " dead letters",
                () -> jedis.llen(keys.dead(QUEUE)) >= deadBefore + count);
    }

    /** Live bytes on the heap of process {@code pid}: class_histogram runs a full GC first and ends with a Total line. */
    private static long liveHeapBytes(long pid) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String jcmd = java.substring(0, java.length() - "java".length()) + "jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines));
        String total = lines.stream()
                .filter(l -> l.trim().startsWith("Total"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Total line from jcmd: " + lines));
        String[] parts = total.trim().split("\\s+");
        return Long.parseLong(parts[2]);
    }

    /** Writes a message as a broken submitter would, bypassing the client, and waits for its dead letter. */
    private JsonNode pushRaw(String id, String message) throws Exception {
        long deadBefore = worker.raw().llen(keys.dead(QUEUE));
        worker.raw().hset(keys.msgs(QUEUE), id, message);
        worker.raw().rpush(keys.ready(QUEUE), id);
        worker.raw().rpush(keys.wake(QUEUE), "1");
        Await.until(WAIT, "a dead letter for " + id, () -> worker.raw().llen(keys.dead(QUEUE)) > deadBefore);
        List<String> dead = worker.raw().lrange(keys.dead(QUEUE), deadBefore, deadBefore);
        JsonNode record = Json.MAPPER.readTree(dead.get(0));
        assertEquals(id, record.get("id").asText());
        return record;
    }

    private void assertStillServing() throws Exception {
        assertTrue(worker.process().process().isAlive(), "the worker daemon survives bad input");
        assertEquals(81, pool.applyAsync(Square.class, 9).get(WAIT));
    }
}
