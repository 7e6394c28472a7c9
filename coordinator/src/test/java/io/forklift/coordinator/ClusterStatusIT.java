package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.WorkerHeartbeat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class ClusterStatusIT {

    @Test
    void showsQueuesWithTheirCapAndLiveWorkersWithTheirChildren(TestRedis redis) throws Exception {
        Path log = Files.createTempFile("status-worker-", ".log");
        try (Redis conn = Redis.connect(redis.uri(), redis.prefix(), Duration.ofSeconds(2), 2);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
                LocalWorker worker = LocalWorker.start(
                        "status-w1",
                        log,
                        List.of(
                                "--redis",
                                redis.uri(),
                                "--prefix",
                                redis.prefix(),
                                "--queues",
                                "pages",
                                "--processes",
                                "2"))) {
            fl.pool("pages", 7); // the pool's own cap: not the queue's
            assertEquals(
                    0,
                    new picocli.CommandLine(new QueueSetCommand())
                            .execute("pages", "--max-running", "7", "--redis", redis.uri(), "--prefix", redis.prefix()),
                    "forklift queue set pages --max-running 7");
            List<Long> children = worker.awaitChildren(conn, 2, Duration.ofSeconds(60));

            ClusterStatus status = ClusterStatus.read(conn);

            Queues.Depth pages = status.queues().stream()
                    .filter(q -> q.name().equals("pages"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(7, pages.cap());
            assertEquals(0, pages.ready());
            assertEquals(1, status.workers().size(), status.toString());
            WorkerHeartbeat w = status.workers().get(0);
            assertEquals("status-w1", w.id());
            assertEquals(worker.pid(), w.pid());
            assertEquals(children, w.children());

            assertEquals(0, worker.stop());
            assertTrue(
                    ClusterStatus.read(conn).workers().isEmpty(), "a worker that exited cleanly is no longer listed");
        }
    }
}
