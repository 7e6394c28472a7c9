package io.forklift.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shared objects survive kill -9 of Redis and a restart from its AOF (fsync always), and
 * {@code forklift objects}' listing (ObjectReads.list) names each with its kind and size.
 */
class ObjectsSurviveRestartIT {
    @Test
    void everyKindIsThereAfterARestartFromTheAof() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            ForkliftOptions options = ForkliftOptions.of(redis.uri()).withPrefix("restart:");
            try (Forklift fl = Forklift.connect(options)) {
                Manager m = fl.manager("shop");
                m.queue("urls", 10).putAll(List.of("a", "b"));
                m.dict("d").put("k", 1);
                m.list("l", List.of(1, 2, 3));
                m.value("v", 5L).addAndGet(2);
                m.array("arr", ArrayType.DOUBLE, 4).set(1, 2.5);
                m.event("go").set();
                m.namespace("ns").set("x", "y");
                m.joinableQueue("jobs").put("j");
            }
            redis.kill();
            redis.restart();
            try (Forklift fl = Forklift.connect(options)) {
                Manager m = fl.manager("shop");
                assertEquals("a", m.queue("urls").get(Duration.ofSeconds(1)));
                assertEquals(10, m.queue("urls").maxsize());
                assertEquals(1, m.dict("d").get("k"));
                assertEquals(List.of(1, 2, 3), m.list("l").snapshot());
                assertEquals(7L, m.value("v", 0L).get());
                assertEquals(2.5, m.array("arr", ArrayType.DOUBLE, 4).get(1));
                assertTrue(m.event("go").isSet());
                assertEquals("y", m.namespace("ns").get("x"));
                JoinableQueue<Object> jobs = m.joinableQueue("jobs");
                assertEquals("j", jobs.get(Duration.ofSeconds(1)));
                jobs.taskDone();
                assertTrue(jobs.join(Duration.ofSeconds(1)));
            }
            try (Redis r = Redis.connect(redis.uri(), "restart:", Duration.ofSeconds(2), 1)) {
                Map<String, Long> sizes = new java.util.TreeMap<>();
                for (ObjectReads.Listed o : new ObjectReads(r).list("shop"))
                    sizes.put(o.name() + ":" + o.kind(), o.size());
                assertEquals(
                        Map.of(
                                "arr:array",
                                4L,
                                "d:dict",
                                1L,
                                "go:event",
                                1L,
                                "jobs:joinable",
                                0L,
                                "l:list",
                                3L,
                                "ns:namespace",
                                1L,
                                "urls:queue",
                                1L,
                                "v:value",
                                1L),
                        sizes);
            }
        }
    }
}
