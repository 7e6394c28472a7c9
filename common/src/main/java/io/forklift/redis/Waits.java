package io.forklift.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * Blocking commands for shared objects (BLMOVE, BLPOP), on a pool of their own: a blocked caller
 * pins one connection for as long as it waits, so waiters never starve the client's other calls.
 * Redis ends a blocking command's timeout only at its next cron tick (up to 100 ms late at the
 * default {@code hz 10}), so each wait also has a timer that ends it at its own deadline with
 * {@code CLIENT UNBLOCK <id> TIMEOUT}: exact to a few milliseconds, and atomic (the command either
 * moved a value or returns nothing). The connection is reused only once any unblock sent for it has
 * been answered, so an unblock can never reach a later caller's command.
 */
public final class Waits implements AutoCloseable {
    /** The longest single block; longer waits are several blocks (one command per block). */
    public static final Duration MAX_BLOCK = Duration.ofSeconds(10);

    private static final CommandObjects COMMANDS = new CommandObjects();
    private final Redis blocking;
    private final Redis control;
    private final Map<Connection, Long> clientIds = Collections.synchronizedMap(new WeakHashMap<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "forklift-unblock");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param blocking a connection pool for blocking commands only, sized for the callers that may
     *                 block at once, its blocking read timeout above {@link #MAX_BLOCK}
     * @param control  the client's ordinary pool, which sends the unblocks
     */
    public Waits(Redis blocking, Redis control) {
        this.blocking = blocking;
        this.control = control;
    }

    /**
     * BLMOVE: moves the first ({@code fromLeft}) or last element of {@code source} to the tail of
     * {@code destination}, waiting up to {@code timeout} (at most {@link #MAX_BLOCK}) for one. With
     * source equal to destination and {@code fromLeft} false, a state list is watched without
     * change. Returns the element, or null at the timeout.
     */
    public String move(String source, String destination, boolean fromLeft, Duration timeout) {
        ListDirection from = fromLeft ? ListDirection.LEFT : ListDirection.RIGHT;
        return run(source, COMMANDS.blmove(source, destination, from, ListDirection.RIGHT, seconds(timeout)), timeout);
    }

    /** An element BLPOP took, and the list it came from. */
    public record Popped(String key, String value) {}

    /**
     * BLPOP: the first element of the first non-empty list of {@code keys}, or null at the timeout.
     * The keys share one hash tag (one slot), as a Redis Cluster requires.
     */
    public Popped pop(List<String> keys, Duration timeout) {
        KeyValue<String, String> kv =
                run(keys.get(0), COMMANDS.blpop(seconds(timeout), keys.toArray(String[]::new)), timeout);
        return kv == null ? null : new Popped(kv.getKey(), kv.getValue());
    }

    /**
     * Runs {@code command} on a connection of its own to the node serving {@code key} (in a cluster,
     * each node has its own pool), and unblocks it at the deadline through the same node.
     */
    private <T> T run(String key, CommandObject<T> command, Duration timeout) {
        if (timeout.compareTo(MAX_BLOCK) > 0) throw new IllegalArgumentException("block at most " + MAX_BLOCK);
        return blocking.call(j -> {
            Connection c = blocking.connectionFor(key);
            try {
                long id = clientIds.computeIfAbsent(c, Waits::clientId);
                AtomicInteger state = new AtomicInteger(); // 0 blocked, 1 returned, 2 being unblocked
                CompletableFuture<Void> unblocked = new CompletableFuture<>();
                ScheduledFuture<?> deadline = timer.schedule(
                        () -> unblock(key, id, state, unblocked), timeout.toNanos(), TimeUnit.NANOSECONDS);
                try {
                    return c.executeCommand(command);
                } catch (RuntimeException e) {
                    blocking.connectionFailed(e); // after a failover the slot may live elsewhere
                    throw e;
                } finally {
                    deadline.cancel(false);
                    if (!state.compareAndSet(0, 1)) unblocked.join();
                }
            } finally {
                c.close(); // back to the pool, or destroyed if broken
            }
        });
    }

    private void unblock(String key, long id, AtomicInteger state, CompletableFuture<Void> done) {
        if (!state.compareAndSet(0, 2)) return;
        try (Connection c = control.connectionFor(key)) { // the node the blocked connection is on
            unblock(c, id);
        } catch (RuntimeException e) {
            // Redis ends the block itself at its own timeout, at most a cron tick later.
        } finally {
            done.complete(null);
        }
    }

    /** {@code CLIENT UNBLOCK id TIMEOUT} sent on {@code c}: whether a blocked command of client {@code id} ended. */
    static boolean unblock(Connection c, long id) {
        return c.executeCommand(new CommandObject<>(
                        new CommandArguments(Protocol.Command.CLIENT)
                                .add("UNBLOCK")
                                .add(id)
                                .add("TIMEOUT"),
                        BuilderFactory.LONG))
                == 1;
    }

    /** The client id Redis gave connection {@code c} ({@code CLIENT ID}), for an unblock sent from another one. */
    static long clientId(Connection c) {
        return c.executeCommand(
                new CommandObject<>(new CommandArguments(Protocol.Command.CLIENT).add("ID"), BuilderFactory.LONG));
    }

    private static double seconds(Duration d) {
        return Math.max(d.toMillis(), 1) / 1000.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        blocking.close();
    }
}
