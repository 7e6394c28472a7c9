package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** dict, list, Namespace, Value, Array and Event against a real Redis. */
@ExtendWith(RedisExtension.class)
class SharedDataIT {
    private Forklift fl;
    private Manager m;

    @BeforeEach
    void connect(TestRedis redis, TestInfo test) {
        fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix(test.getDisplayName())));
        m = fl.manager("data");
    }

    @AfterEach
    void close() {
        fl.close();
    }

    @Test
    void dictKeysAreJsonScalarsAndItIsAConcurrentMap() {
        SharedMap<Object, Object> d = m.dict("d");
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, null);
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put(1, "1");
        expected.put("2", 2);
        expected.put(0.25, null);
        assertEquals(expected, new LinkedHashMap<>(d));
        assertTrue(d.containsKey(0.25));
        assertNull(d.get("1"), "the string \"1\" and the number 1 are different keys");
        assertEquals("1", d.putIfAbsent(1, "other"));
        assertTrue(d.replace("2", 2, 3));
        assertFalse(d.replace("2", 2, 4));
        assertFalse(d.remove("2", 2));
        assertTrue(d.remove("2", 3));
        assertEquals(2, d.size());
        assertThrows(NullPointerException.class, () -> d.put(null, 1));
        assertThrows(IllegalArgumentException.class, () -> d.put(List.of(1), 1));
        SharedMap<String, Integer> typed = m.dict("counts", String.class, Integer.class);
        typed.putAll(Map.of("a", 1, "b", 2));
        assertEquals(3, typed.merge("a", 2, Integer::sum));
        typed.entrySet().removeIf(e -> e.getKey().equals("b"));
        assertEquals(Map.of("a", 3), new LinkedHashMap<>(typed));
        d.clear();
        assertTrue(d.isEmpty());
    }

    @Test
    void listIsAListWithAnAtomicReverse() {
        SharedList<Integer> l = m.list("l", IntStream.range(0, 10).boxed().toList());
        l.reverse();
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), l);
        assertEquals(9, l.get(0));
        assertEquals(9, l.set(0, 90));
        l.add(0, -1);
        assertEquals(-1, l.remove(0));
        assertTrue(l.remove((Object) 90));
        assertEquals(9, l.size());
        List<Integer> local = new ArrayList<>(l);
        l.add(100);
        local.add(100);
        assertEquals(local, l.snapshot());
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(99));
        assertEquals(10, m.list("l", List.of(1, 2)).size(), "initial values are written only when new");
    }

    @Test
    void namespaceValueArrayAndEvent() throws Exception {
        Namespace ns = m.namespace("ns");
        ns.set("x", 1);
        assertEquals(1, ns.get("x"));
        assertThrows(NoSuchElementException.class, () -> ns.get("y"));
        assertTrue(ns.delete("x"));

        SharedValue<Long> v = m.value("counter", 0L);
        assertEquals(5L, v.addAndGet(5));
        assertTrue(v.compareAndSet(5L, 7L));
        assertFalse(v.compareAndSet(5L, 8L));
        assertEquals(8L, v.incrementAndGet());
        assertEquals(8L, m.value("counter", 0L).get(), "the initial value is written only when new");

        SharedArray arr = m.array("arr", ArrayType.INT, 10);
        assertEquals(10, arr.length());
        arr.set(3, 7);
        assertEquals(7, arr.get(3));
        assertEquals(9, arr.addAndGet(3, 2));
        assertThrows(ArithmeticException.class, () -> arr.addAndGet(3, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> arr.set(0, 1L << 40));
        assertEquals(9, arr.get(3));

        SharedEvent e = m.event("go");
        assertFalse(e.waitFor(Duration.ofMillis(50)));
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return e.waitFor(Duration.ofSeconds(10));
                } catch (InterruptedException ie) {
                    return false;
                }
            }));
        }
        e.set();
        for (CompletableFuture<Boolean> w : waiters) assertTrue(w.get(5, TimeUnit.SECONDS));
        assertTrue(e.isSet());
        e.clear();
        assertFalse(e.isSet());
    }
}
