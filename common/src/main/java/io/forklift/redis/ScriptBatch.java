package io.forklift.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Several script calls sent in one pipelined round trip, as a worker completes, renews and claims
 * at once. Add the calls, {@link #run} once, then read each one's {@link Result}.
 */
public final class ScriptBatch {
    private final List<ScriptCall<?>> calls = new ArrayList<>();
    private List<Object> replies;

    /** The typed reply of one call of a batch, readable once the batch has run. */
    public static final class Result<T> {
        private final ScriptBatch batch;
        private final ScriptCall<T> call;
        private final int index;

        private Result(ScriptBatch batch, ScriptCall<T> call, int index) {
            this.batch = batch;
            this.call = call;
            this.index = index;
        }

        public T get() {
            if (batch.replies == null) throw new IllegalStateException("the batch has not run yet");
            return call.read(batch.replies.get(index));
        }
    }

    public <T> Result<T> add(ScriptCall<T> call) {
        if (replies != null) throw new IllegalStateException("the batch has run already");
        calls.add(call);
        return new Result<>(this, call, calls.size() - 1);
    }

    public boolean isEmpty() {
        return calls.isEmpty();
    }

    /** Sends every call in one round trip; a call Redis refused throws here, translated by {@link Redis}. */
    public void run(Redis redis) {
        replies = redis.runAll(calls, false);
    }

    /**
     * As {@link #run}, for writes that must survive a failover (submits): when the Redis URI asks for
     * {@code replicas=N}, returns only once N replicas hold them, and throws
     * {@link io.forklift.RedisUnavailableException} when they do not in time.
     */
    public void runAcknowledged(Redis redis) {
        replies = redis.runAll(calls, true);
    }
}
