package io.forklift.redis;

import java.util.function.ObjIntConsumer;
import redis.clients.jedis.JedisPubSub;

/**
 * The ready channel ({@link Keys#readyChannel()}), on which scripts name a key that may let waiters
 * through now (includes/ready.lua): a queue's items after a put, a room, done or event flag turning
 * on, a Process's exit list, a pipe end's wake list, a Process starter's output stream. A message
 * is the key, or the key, a newline and how many waiters it may let through at once (values put in
 * a burst); the prefix holds no braces and every such key has a hash tag, so the two never mix up.
 * Only a hint that hastens: whoever is woken retries its own script, so a message missed while
 * disconnected costs time, not correctness.
 */
public final class ReadyChannel {
    private final Redis redis;
    private final ObjIntConsumer<String> onReady;
    private final Runnable onSubscribed;
    private volatile JedisPubSub subscription;
    private volatile boolean stopped;

    /**
     * {@code onReady} gets each key named and how many it may let through (1 when not said); {@code onSubscribed} runs once the subscription is up (what
     * was published before it is missed). Both run on the thread that called {@link #listen()}.
     */
    public ReadyChannel(Redis redis, ObjIntConsumer<String> onReady, Runnable onSubscribed) {
        this.redis = redis;
        this.onReady = onReady;
        this.onSubscribed = onSubscribed;
    }

    /** Blocks, delivering keys, until {@link #stop()}; throws when the connection is lost. */
    public void listen() {
        JedisPubSub s = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                int cut = message.lastIndexOf('\n');
                if (cut < 0) onReady.accept(message, 1);
                else onReady.accept(message.substring(0, cut), count(message.substring(cut + 1)));
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                if (stopped) unsubscribe(); // stop() came before the subscription was up
                else onSubscribed.run();
            }
        };
        subscription = s;
        if (stopped) return;
        redis.call(j -> {
            j.subscribe(s, redis.keys().readyChannel());
            return null;
        });
    }

    /** The count a message names; 1 for one that is not a number (only a hint either way). */
    private static int count(String n) {
        try {
            return Math.max(1, Integer.parseInt(n));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Publishes {@code key} as {@code ready.lua} does, for a writer outside Lua (in a pipeline of its own). */
    public static String message(String key, long n) {
        return n > 1 ? key + "\n" + n : key;
    }

    /** Ends {@link #listen()}; safe to call from any thread, before or after it subscribed. */
    public void stop() {
        stopped = true;
        JedisPubSub s = subscription;
        if (s != null && s.isSubscribed()) s.unsubscribe();
    }
}
