package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RedisOutOfMemoryException;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A noeviction Redis at its maxmemory: submits fail with an error naming the cause and what to do,
 * nothing of them is half-written, and once maxmemory is raised submits work again. Its own Redis,
 * since maxmemory is server-wide.
 */
@Timeout(120)
class RedisOutOfMemoryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void submitsToAFullRedisFailClearlyAndWriteNothing(@TempDir Path dir) throws Exception {
        try (OwnRedis own = OwnRedis.start(dir, "oom:", 1)) {
            EmbeddedRedis server = own.server;
            Redis conn = own.conn;
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            Pool pool = own.client.pool("jobs", 1);
            assertEquals(
                    0, pool.apply(Recorded.class, new Recorded.Arg(ledger.path(), 0, 0)), "works before Redis is full");

            fill(own);
            AsyncResult<Integer> refused = pool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), 1, 0));
            RedisOutOfMemoryException e = assertThrows(RedisOutOfMemoryException.class, () -> refused.get(WAIT));
            String message = e.getMessage();
            System.out.println("redis out of memory: submit failed with: " + message);
            for (String part : List.of(
                    "Redis at 127.0.0.1:" + server.port() + " is out of memory",
                    "maxmemory",
                    "policy noeviction",
                    "nothing of it was stored",
                    "Raise maxmemory",
                    "drain queues")) {
                assertTrue(message.contains(part), "'" + part + "' in: " + message);
            }
            assertThrows(
                    RedisOutOfMemoryException.class,
                    () -> pool.apply(Recorded.class, new Recorded.Arg(ledger.path(), 2, 0)));
            assertNothingHalfWritten(own, List.of(refused.id()));

            own.raw().configSet("maxmemory", "0");
            assertEquals(
                    3,
                    pool.apply(Recorded.class, new Recorded.Arg(ledger.path(), 3, 0)),
                    "works once maxmemory is raised");
            assertEquals(
                    Set.of(0, 3),
                    new HashSet<>(ledger.executions().stream()
                            .map(Ledger.Execution::n)
                            .toList()),
                    "only the accepted tasks ran");
            assertNothingHalfWritten(own, List.of());
        }
    }

    /**
     * Writes 4 MB of filler, then sets maxmemory 1 MB below what is used: a full noeviction Redis,
     * whatever the size of the next command (a limit just above the filler lets small writes through
     * once a refused command's buffer is freed).
     */
    private static void fill(OwnRedis own) {
        Redis conn = own.conn;
        String chunk = "x".repeat(256 * 1024);
        for (int i = 0; i < 16; i++) own.raw().set("oom:filler:" + i, chunk);
        long used = Long.parseLong(Redis.infoField(conn.info("memory"), "used_memory"));
        own.raw().configSet("maxmemory", Long.toString(used - 1024 * 1024));
        JedisDataException full = assertThrows(
                JedisDataException.class,
                () -> own.raw().set("oom:probe", "x"),
                "Redis must refuse writes over maxmemory " + (used - 1024 * 1024));
        assertTrue(full.getMessage().startsWith("OOM"), full.getMessage());
    }

    /** Every stored message has its id ready or leased, every ready id its message; refused ids are nowhere. */
    private static void assertNothingHalfWritten(OwnRedis own, List<String> refused) {
        Redis conn = own.conn;
        Keys k = conn.keys();
        Set<String> msgs = own.raw().hkeys(k.msgs("jobs"));
        Set<String> queued = new HashSet<>(own.raw().lrange(k.ready("jobs"), 0, -1));
        queued.addAll(own.raw().zrange(k.inflight("jobs"), 0, -1));
        assertEquals(
                msgs, queued, "each stored message is ready or leased, and each ready or leased id has its message");
        for (String id : refused)
            assertFalse(msgs.contains(id) || queued.contains(id), "refused task " + id + " left a trace");
    }
}
