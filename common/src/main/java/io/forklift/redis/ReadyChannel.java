package io.forklift.redis;

import java.util.function.Consumer;
import redis.clients.jedis.JedisPubSub;

/**
 * The ready channel ({@link Keys#readyChannel()}), on which scripts name a key that may let waiters
 * through now (includes/ready.lua): a queue's items after a put, a room, done or event flag turning
 * on, a Process's exit list. Only a hint that hastens: whoever is woken retries its own script, so a
 * message missed while disconnected costs time, not correctness.
 */
public final class ReadyChannel {
    private final Redis redis;
    private final Consumer<String> onReady;
    private final Runnable onSubscribed;
    private volatile JedisPubSub subscription;
    private volatile boolean stopped;

    /**
     * {@code onReady} gets each key named; {@code onSubscribed} runs once the subscription is up (what
     * was published before it is missed). Both run on the thread that called {@link #listen()}.
     */
    public ReadyChannel(Redis redis, Consumer<String> onReady, Runnable onSubscribed) {
        this.redis = redis;
        this.onReady = onReady;
        this.onSubscribed = onSubscribed;
    }

    /** Blocks, delivering keys, until {@link #stop()}; throws when the connection is lost. */
    public void listen() {
        JedisPubSub s = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String key) {
                onReady.accept(key);
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

    /** Ends {@link #listen()}; safe to call from any thread, before or after it subscribed. */
    public void stop() {
        stopped = true;
        JedisPubSub s = subscription;
        if (s != null && s.isSubscribed()) s.unsubscribe();
    }
}
