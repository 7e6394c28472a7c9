package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.daemon.LocalWorker;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A worker refuses to start, at once and saying why, where it would lose tasks or cannot log in. */
@Tag("chaos")
@Timeout(120)
@ExtendWith(RedisExtension.class)
class StartupRefusalIT {

    @Test
    void refusesARedisThatEvictsKeys(@TempDir Path dir) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start("--maxmemory-policy", "allkeys-lru")) {
            String log = refusal(dir, redis.uri());
            assertTrue(log.contains("maxmemory-policy allkeys-lru") && log.contains("noeviction"), log);
        }
    }

    @Test
    void refusesAWrongPassword(@TempDir Path dir) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start("--requirepass", "right")) {
            String log = refusal(dir, "redis://:wrong@127.0.0.1:" + redis.port());
            assertTrue(log.contains("refused the credentials"), log);
        }
    }

    @Test
    void refusesAnAclUserLackingACommandTheScriptsRun(@TempDir Path dir) throws Exception {
        try (EmbeddedRedis redis =
                EmbeddedRedis.start("--user", "limited", "on", ">pw", "~*", "&*", "+@all", "-hincrby")) {
            String log = refusal(dir, "redis://limited:pw@127.0.0.1:" + redis.port());
            assertTrue(
                    log.contains("does not let this user run a command Forklift needs") && log.contains("hincrby"),
                    log);
        }
    }

    @Test
    void refusesAnAclUserThatMayNotBlock(@TempDir Path dir) throws Exception {
        try (EmbeddedRedis redis =
                EmbeddedRedis.start("--user", "limited", "on", ">pw", "~*", "&*", "+@all", "-@blocking")) {
            String log = refusal(dir, "redis://limited:pw@127.0.0.1:" + redis.port());
            assertTrue(
                    log.contains("does not let this user run a command Forklift needs") && log.contains("blpop"), log);
        }
    }

    @Test
    void refusesASecondWorkerWithALiveWorkersId(TestRedis testRedis, @TempDir Path dir) throws Exception {
        try (TestWorker first = TestWorker.start(testRedis, "namesake", "q", 1)) {
            Path log = dir.resolve("second.log");
            try (LocalWorker second = LocalWorker.start(
                    "namesake",
                    log,
                    List.of(
                            "--redis",
                            testRedis.uri(),
                            "--prefix",
                            testRedis.prefix(),
                            "--queues",
                            "q",
                            "--processes",
                            "1"))) {
                assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "the second one gives up at once");
                assertNotEquals(0, second.process().exitValue());
            }
            String said = Files.readString(log);
            assertTrue(
                    said.contains("worker id namesake is in use by pid "
                            + first.process().pid()),
                    said);
            assertTrue(first.process().process().isAlive(), "the first one serves on");
        }
    }

    /** Starts a worker that must exit non-zero within 30 s; returns its log. */
    private static String refusal(Path dir, String uri) throws Exception {
        Path log = dir.resolve("worker.log");
        try (LocalWorker worker =
                LocalWorker.start("refused", log, List.of("--redis", uri, "--queues", "q", "--processes", "1"))) {
            assertTrue(
                    worker.process().waitFor(30, TimeUnit.SECONDS), "the worker gives up at once instead of retrying");
            assertNotEquals(0, worker.process().exitValue(), "a refusal is a failure exit");
        }
        return Files.readString(log);
    }
}
