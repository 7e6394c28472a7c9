package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.PayloadTooLargeException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/** Bad input gets a clear error and changes nothing; the registry, delete and clear; objects outlive their creator. */
@ExtendWith(RedisExtension.class)
class ManagerBadInputIT {
    private ForkliftOptions options;
    private Forklift fl;
    private Manager m;
    private TestRedis redis;
    private String prefix;

    @BeforeEach
    void connect(TestRedis redis, TestInfo test) {
        this.redis = redis;
        prefix = redis.prefix(test.getDisplayName().replaceAll("\\W", ""));
        options = ForkliftOptions.of(redis.uri()).withPrefix(prefix).withMaxPayloadBytes(4096);
        fl = Forklift.connect(options);
        m = fl.manager("shop");
    }

    @AfterEach
    void close() {
        fl.close();
    }

    /** An unserializable thing: Jackson finds no properties on it. */
    static final class Opaque {}

    @Test
    void wrongKindsBadNamesAndBadValuesAreRefusedBeforeAnythingChanges() {
        SharedMap<String, Object> d = m.dict("d");
        d.put("a", 1);
        WrongKindException e = assertThrows(WrongKindException.class, () -> m.queue("d"));
        assertTrue(e.getMessage().contains("dict") && e.getMessage().contains("Queue"), e.getMessage());
        assertEquals(Map.of("d", "dict"), m.names());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.queue("a/b"));
        assertTrue(bad.getMessage().contains("1-100 characters"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fl.manager("has space"));

        SharedQueue<Object> q = m.queue("q");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> q.put(new Opaque()));
        assertTrue(type.getMessage().contains(Opaque.class.getName()), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.put(Double.NaN));
        assertThrows(PayloadTooLargeException.class, () -> q.put("x".repeat(5000)));
        assertEquals(0, q.qsize());
        assertThrows(PayloadTooLargeException.class, () -> d.put("b", "y".repeat(5000)));
        assertEquals(1, d.size());
    }

    @Test
    void aNonJsonValueWrittenFromOutsideNamesItsKeyAndTheObjectKeepsWorking() throws Exception {
        SharedQueue<String> q = m.queue("q");
        SharedMap<String, Object> d = m.dict("d");
        UnifiedJedis raw = redis.raw();
        String items = prefix + "{m:shop/q}:items";
        raw.rpush(items, "not json{");
        q.put("fine");
        CorruptValueException e = assertThrows(CorruptValueException.class, () -> q.get(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains(items), e.getMessage());
        assertEquals("fine", q.get(Duration.ofSeconds(1)));
        raw.hset(prefix + "{m:shop/d}:hash", "\"k\"", "\u00ffnope");
        d.put("other", 2);
        assertTrue(assertThrows(CorruptValueException.class, () -> d.get("k"))
                .getMessage()
                .contains("{m:shop/d}:hash"));
        assertEquals(2, d.get("other"));
    }

    @Test
    void objectsOutliveTheirCreatorUntilDeleted() throws Exception {
        m.queue("urls", 10).put("u1");
        m.list("l", List.of(1, 2));
        m.event("go").set();
        fl.close();
        try (Forklift later = Forklift.connect(options)) {
            Manager again = later.manager("shop");
            assertEquals(Map.of("urls", "queue", "l", "list", "go", "event"), again.names());
            assertEquals("u1", again.queue("urls").get(Duration.ofSeconds(1)));
            assertEquals(10, again.queue("urls").maxsize());
            assertThrows(IllegalArgumentException.class, () -> again.queue("urls", 5));
            SharedList<Integer> l = again.list("l");
            assertTrue(again.delete("l"));
            assertFalse(again.delete("l"));
            assertThrows(ObjectDeletedException.class, () -> l.add(3));
            assertEquals(2, again.clear());
            assertTrue(again.names().isEmpty());
            assertFalse(again.event("go").isSet(), "a deleted event comes back new");
        }
        fl = Forklift.connect(options);
    }
}
