package io.forklift.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A claim that waits in Redis: BLPOP on a queue's wake list with the claim pipelined behind it on the
 * same connection. Redis runs the claim the moment the block ends (a token came, or the timeout), so
 * the wake-up reaches the worker with its tasks already leased: one round trip sooner than a wake-up
 * the worker answers with a claim. Whatever ends the block, {@link #unpark} included, the claim runs
 * and its reply must be read. A connection goes back to the pool only once an unblock sent for it has
 * been answered, so an unblock never reaches a later command (as in {@link Waits}). One thread
 * awaits at a time; any thread may unpark.
 */
public final class WakeClaim {
    private final Redis redis;
    private final String wakeKey;
    private final Map<Connection, Long> clientIds = Collections.synchronizedMap(new WeakHashMap<>());
    private final Object lock = new Object();
    private long parkedId = -1; // under lock: the client id of the connection blocked now
    private boolean unparking; // under lock: an unblock for parkedId is being sent
    private boolean unparkWanted; // under lock: asked before the block began, so the next one does not block

    public WakeClaim(Redis redis, String queue) {
        this.redis = redis;
        this.wakeKey = redis.keys().wake(queue);
    }

    /**
     * Blocks up to {@code timeout} for a wake token, then runs {@code claim}; returns its reply, or
     * null if Redis did not know the script (NOSCRIPT, after a restart: the claim did not run; a
     * plain claim loads it). An exception leaves it unknown whether the claim ran.
     */
    public <T> T await(Duration timeout, ScriptCall<T> claim) {
        return redis.call(j -> {
            Connection c = redis.connectionFor(wakeKey);
            try {
                long id = clientIds.computeIfAbsent(c, Waits::clientId);
                c.setSoTimeout((int) Math.min(
                        Integer.MAX_VALUE, timeout.plus(redis.timeout()).toMillis()));
                Response<Object> reply;
                try (Pipeline p = new Pipeline(c)) {
                    synchronized (lock) {
                        if (!unparkWanted) p.blpop(Math.max(timeout.toMillis(), 1) / 1000.0, wakeKey);
                        unparkWanted = false;
                        parkedId = id;
                    }
                    reply = p.evalsha(claim.script().sha(), claim.keys(), claim.args());
                    p.sync();
                } finally {
                    settle();
                    c.rollbackTimeout();
                }
                try {
                    return claim.read(reply.get());
                } catch (JedisNoScriptException e) {
                    return null;
                }
            } catch (RuntimeException e) {
                redis.connectionFailed(e);
                throw e;
            } finally {
                c.close(); // back to the pool, or destroyed if broken
            }
        });
    }

    /**
     * Ends the block now ({@code CLIENT UNBLOCK … TIMEOUT}): the claim behind it runs at once and
     * {@link #await} returns. Asked before the block reached Redis, it tries again until the block
     * has ended; asked before {@link #await} began, the next await does not block.
     */
    public void unpark() {
        while (true) {
            long id;
            synchronized (lock) {
                if (parkedId < 0) {
                    unparkWanted = true;
                    return;
                }
                if (unparking) return;
                id = parkedId;
                unparking = true;
            }
            boolean ended;
            try (Connection c = redis.connectionFor(wakeKey)) {
                ended = Waits.unblock(c, id);
            } catch (RuntimeException e) {
                ended = true; // Redis ends the block itself at its timeout
            } finally {
                synchronized (lock) {
                    unparking = false;
                    lock.notifyAll();
                }
            }
            if (ended || !pauseWhileParked(id)) return;
        }
    }

    /** Waits a few milliseconds for the block of {@code id} to reach Redis; false if it ended meanwhile. */
    private boolean pauseWhileParked(long id) {
        synchronized (lock) {
            try {
                lock.wait(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return parkedId == id;
        }
    }

    /** The block is over: waits for an unblock under way to be answered before the connection is reused. */
    private void settle() {
        synchronized (lock) {
            parkedId = -1;
            lock.notifyAll();
            boolean interrupted = false;
            while (unparking) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
