package io.forklift.coordinator;

import io.forklift.daemon.options.RedisOptions;
import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.QueueRemoval;
import io.forklift.redis.Redis;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forklift queue delete NAME [--force]}: removes a queue and every key of it, so names used
 * once (a queue per job, per user) do not pile up. Refuses a queue holding tasks unless forced.
 */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a queue and every key of it; refused while it holds tasks unless --force.")
public final class QueueDeleteCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Parameters(index = "0", description = "The queue")
    String queue;

    @Option(
            names = "--force",
            description = "Delete even with tasks ready, running or waiting to be retried (they are lost, "
                    + "and their clients never hear of them)")
    boolean force;

    @Override
    public Integer call() {
        try (Redis conn = redis.connect(1)) {
            QueueRemoval.Outcome done = new QueueRemoval(conn).delete(queue, force);
            HousekeepingScripts.Deleted found = done.found();
            String held = String.format(
                    "%d tasks ready, %d leased (running or prefetched), %d waiting to be retried",
                    found.ready(), found.leased(), found.delayed());
            if (!found.deleted()) {
                System.err.printf(
                        "queue '%s' not deleted: it holds %s; let them finish (forklift status shows them), "
                                + "or delete it anyway with --force, losing them%n",
                        queue, held);
                return 1;
            }
            System.out.printf(
                    "deleted queue '%s' (it held %s; %d other keys of it removed: results, replies, done bitmaps)%n",
                    queue, held, done.keysRemoved());
        }
        return 0;
    }
}
