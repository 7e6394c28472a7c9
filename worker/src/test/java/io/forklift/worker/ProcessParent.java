package io.forklift.worker;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.ForkliftProcess;
import io.forklift.worker.tasks.Nap;
import redis.clients.jedis.JedisPooled;

/**
 * A program that starts a daemonic Process and a non-daemonic one, pushes their ids to a Redis
 * list, then waits to be killed: {@link ProcessIT} kills it with SIGKILL. Arguments: Redis URI,
 * key prefix, the list's key.
 */
public final class ProcessParent {
    private ProcessParent() {}

    public static void main(String[] args) throws Exception {
        Forklift fl = Forklift.connect(ForkliftOptions.of(args[0]).withPrefix(args[1]));
        ForkliftProcess daemon = fl.process(Nap.class, Nap.Plan.sleep(1, 120_000))
                .name("daemonic")
                .daemon(true)
                .start();
        ForkliftProcess worker =
                fl.process(Nap.class, Nap.Plan.sleep(2, 8_000)).name("steady").start();
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(args[0]))) {
            redis.rpush(args[2], daemon.id(), worker.id());
        }
        Thread.sleep(600_000); // killed by the test
    }
}
