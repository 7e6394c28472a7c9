package io.forklift.coordinator;

import io.forklift.daemon.options.AuthkeyOptions;
import io.forklift.daemon.options.RedisOptions;
import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.Authkey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code forklift queue set <queue> --max-running N}: the operator's limit on a queue as a whole, over
 * every pool's tasks (each pool's own cap still holds). Signed with the authkey, so workers of a
 * cluster with one honour it; 0 clears it.
 */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Set a queue's operator limits.")
public final class QueueSetCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Mixin
    AuthkeyOptions authkey;

    @Parameters(index = "0", description = "The queue")
    String queue;

    @Option(
            names = "--max-running",
            required = true,
            description = "Most of the queue's tasks running at once, all pools together; 0 for no limit")
    int maxRunning;

    @Override
    public Integer call() {
        Keys.checkQueue(queue);
        if (maxRunning < 0) throw new IllegalArgumentException("--max-running must be 0 or more, got " + maxRunning);
        Authkey key = authkey.authkey();
        String value = Integer.toString(maxRunning);
        String signature =
                key == null ? null : key.sign(Authkey.SETTING, queue + "/concurrency", Long.MAX_VALUE, value);
        try (Redis conn = redis.connect(1)) {
            Queues.Cap before = new Queues(conn).setMaxRunning(queue, maxRunning, signature);
            System.out.printf(
                    "queue '%s': max-running %s (was %s)%n",
                    queue, maxRunning == 0 ? "none" : value, before == null ? "none" : before.value());
        }
        return 0;
    }
}
