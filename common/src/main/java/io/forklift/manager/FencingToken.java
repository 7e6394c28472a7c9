package io.forklift.manager;

import io.forklift.redis.Fence;
import io.forklift.redis.ScriptCall;
import io.forklift.redis.ScriptRefusal;
import java.util.function.Function;

/**
 * What a holder of a {@link SharedLock} passes to a write ({@code value.set(x, held.fence())}): the
 * lock and the token of this hold, strictly increasing per lock. The object's own script refuses
 * the write with {@link StaleFenceException} once a newer token of the lock has been issued. Before
 * the first fenced write to an object the lock records that it guards it, so that every later
 * holder publishes its token there before it can read it.
 */
public final class FencingToken {
    private final LockHold hold;

    FencingToken(LockHold hold) {
        this.hold = hold;
    }

    /** The lock: {@code <manager>/<name>}. */
    public String lock() {
        return hold.lockName();
    }

    public long token() {
        return hold.fence();
    }

    /** The fence for a write to {@code target}, first recording that the lock guards it (once per hold and object). */
    Fence forWrite(ObjectStore store, ObjectRef target) {
        String object = target.manager() + "/" + target.name();
        if (!hold.guarded().contains(object)) {
            try {
                store.redis.run(store.locks.scripts.guard(store.keys(hold.lock()), token(), object));
            } catch (ScriptRefusal r) {
                if (r.code().equals("FENCED")) {
                    throw new StaleFenceException(target, lock(), token(), Long.parseLong(r.detail()));
                }
                throw ObjectStore.refusal(hold.lock(), r);
            }
            hold.guarded().add(object);
        }
        return new Fence(lock(), token());
    }

    /** Runs the write {@code call} makes with this fence; FENCED becomes {@link StaleFenceException} naming it. */
    static <T> T write(ObjectStore store, ObjectRef target, FencingToken fence, Function<Fence, ScriptCall<T>> call) {
        if (fence == null) return store.run(target, call.apply(null));
        Fence f = fence.forWrite(store, target);
        try {
            return store.redis.run(call.apply(f));
        } catch (ScriptRefusal r) {
            if (r.code().equals("FENCED")) {
                throw new StaleFenceException(target, fence.lock(), fence.token(), Long.parseLong(r.detail()));
            }
            throw ObjectStore.refusal(target, r);
        }
    }

    @Override
    public String toString() {
        return "fence " + token() + " of lock '" + lock() + "'";
    }
}
