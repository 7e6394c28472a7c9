package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose lease runs out max-attempts times goes to the dead list with its reason and message,
 * its submitter hears once, and {@code forklift dead retry} runs it again.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class DeadLetterIT {
    private static final int TASKS = 6;

    @Test
    void expiredPastMaxAttemptsIsDeadLetteredThenRetriedOnDemand(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir, 1)) {
            cluster.submit(TASKS, 1500);
            cluster.awaitVictimBusy(2);
            cluster.victim.process().destroyForcibly();
            cluster.victim.process().waitFor();
            cluster.awaitAll(TASKS);

            assertEquals(
                    2,
                    cluster.failures.get(),
                    "the 2 tasks the killed worker held were dead-lettered (max attempts 1)");
            for (Throwable e : cluster.errors) {
                RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e);
                assertEquals("io.forklift.LeaseExpiredException", remote.remoteType());
            }
            DeadLetters dead = new DeadLetters(cluster.redis, "jobs");
            List<JsonNode> records = dead.list(10);
            assertEquals(2, records.size());
            for (JsonNode r : records) {
                assertEquals("lease_expired", r.get("reason").asText());
                assertTrue(r.hasNonNull("pool"), "a capped pool's task names its pool, for a retry: " + r);
                assertTrue(
                        r.get("message").asText().contains("\"task\":\"io.forklift.coordinator.tasks.Recorded\""),
                        r.toString());
            }

            int ranBefore = cluster.ledger.executions().size();
            assertEquals(2, dead.retry(10, null, io.forklift.ForkliftOptions.DEFAULT_MESSAGE_TTL));
            Ledger.await(
                    Duration.ofSeconds(60), () -> cluster.ledger.executions().size() >= ranBefore + 2);
            assertEquals(0, dead.size(), "retried records leave the dead list");
            List<Ledger.Execution> retried = cluster.ledger.executions().subList(ranBefore, ranBefore + 2);
            retried.forEach(e -> assertEquals(1, e.attempt(), "a retry starts counting afresh: " + e));
            assertEquals(0, dead.purge());
        }
    }
}
