package io.forklift.coordinator;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import redis.clients.jedis.JedisPooled;

/**
 * A program that opens two capped pools on one queue, submits tasks into the first (no worker runs
 * them, so they wait in its lane), says so on a Redis list, then waits to be killed: {@link
 * GoneClientCapsIT} kills it with SIGKILL, so it never closes. Arguments: Redis URI, key prefix,
 * queue, the list's key.
 */
public final class CappedPoolHolder {
    private CappedPoolHolder() {}

    public static void main(String[] args) throws Exception {
        Forklift fl = Forklift.connect(ForkliftOptions.of(args[0]).withPrefix(args[1]));
        Pool waiting = fl.pool(args[2], 3);
        for (int i = 0; i < 3; i++) waiting.applyAsync("nobody.runs.This", i, r -> {}, e -> {});
        fl.pool(args[2], 2);
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(args[0]))) {
            redis.rpush(args[3], "ready");
        }
        Thread.sleep(600_000); // killed by the test
    }
}
