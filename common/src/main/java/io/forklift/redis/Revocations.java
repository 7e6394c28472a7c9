package io.forklift.redis;

import java.util.function.BiConsumer;
import redis.clients.jedis.JedisPubSub;

/**
 * The revoked channel, on which revoke.lua names each running task it took the lease of, so the
 * worker running it stops it at once instead of at its next renewal. Only a hint that hastens: the
 * lease taken away in Redis is what decides, so a message missed while disconnected costs time, not
 * correctness.
 */
public final class Revocations {
    private final Redis redis;
    private final String channel;
    private final BiConsumer<String, String> onRevoked;
    private volatile JedisPubSub subscription;
    private volatile boolean stopped;

    /** {@code onRevoked} gets (queue, task id); it runs on the thread that called {@link #listen()}. */
    public Revocations(Redis redis, BiConsumer<String, String> onRevoked) {
        this(redis, redis.keys().revokedChannel(), onRevoked);
    }

    /** Listens on another channel of the same {@code "<word> <word>"} messages, e.g. {@link Keys#processSignals()}. */
    public Revocations(Redis redis, String channel, BiConsumer<String, String> onRevoked) {
        this.redis = redis;
        this.channel = channel;
        this.onRevoked = onRevoked;
    }

    /** Blocks, delivering revocations, until {@link #stop()}; throws when the connection is lost. */
    public void listen() {
        JedisPubSub s = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                int space = message.indexOf(' ');
                if (space > 0) onRevoked.accept(message.substring(0, space), message.substring(space + 1));
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                if (stopped) unsubscribe(); // stop() came before the subscription was up
            }
        };
        subscription = s;
        if (stopped) return;
        redis.call(j -> {
            j.subscribe(s, channel);
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
