package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.ForkliftProcess;
import io.forklift.coordinator.tasks.Sleepy;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Process started by a Java client, seen and terminated over HTTP, on a real worker. */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpProcessesIT {
    @Test
    void aProcessIsSeenAndTerminatedOverHttp(TestRedis redis, @TempDir Path dir) throws Exception {
        try (HttpApiIT.Cluster cluster = HttpApiIT.Cluster.start(redis, dir, "procs", HttpSettings.local(0));
                Forklift fl = Forklift.connect(ForkliftOptions.of(cluster.uri())
                        .withPrefix(cluster.prefix())
                        .withAuthkey(cluster.key().authkey()))) {
            Http http = cluster.http();
            assertEquals(404, http.get("/v1/processes/nosuch").status());
            ForkliftProcess p =
                    fl.process(Sleepy.class, 600_000L).name("sleeper").start();
            Http.Answer a = http.get("/v1/processes/" + p.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!a.body().get("alive").asBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the state as an HTTP caller would
                a = http.get("/v1/processes/" + p.id());
            }
            assertEquals(200, a.status());
            assertEquals("sleeper", a.body().get("name").asText());
            assertTrue(a.body().get("alive").asBoolean(), a.body().toString());
            assertEquals(p.pid().longValue(), a.body().get("pid").asLong());
            assertEquals(p.host(), a.body().get("host").asText());

            assertEquals(
                    15,
                    http.post("/v1/processes/" + p.id() + "/terminate", "")
                            .body()
                            .get("signal")
                            .asInt());
            assertTrue(p.join(Duration.ofSeconds(30)), "terminated over HTTP");
            Http.Answer ended = http.get("/v1/processes/" + p.id());
            assertEquals(-15, ended.body().get("exitCode").asInt(), ended.body().toString());
            assertFalse(ended.body().get("alive").asBoolean());
            assertEquals(-15, p.exitCode());
        }
    }
}
