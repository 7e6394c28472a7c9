package io.forklift.manager;

import io.forklift.redis.ObjectKeys;
import java.time.Duration;

/** A proxy of a shared event: a state list holding one element while set, watched with BLMOVE flag flag. */
final class EventProxy implements SharedEvent {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;

    EventProxy(ObjectStore store, ObjectRef ref) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    @Override
    public void set() {
        store.run(ref, store.data.eventSet(keys, true));
    }

    @Override
    public void clear() {
        store.run(ref, store.data.eventSet(keys, false));
    }

    @Override
    public boolean isSet() {
        return store.reads.llen(keys.flag()) > 0;
    }

    @Override
    public void waitFor() throws InterruptedException {
        waitUntil(Deadline.forever());
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return waitUntil(Deadline.after(timeout));
    }

    private boolean waitUntil(Deadline deadline) throws InterruptedException {
        while (store.waits.move(keys.flag(), keys.flag(), false, deadline.block()) == null) {
            if (deadline.expired()) return false;
            Deadline.checkInterrupt();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Event[" + ref + (isSet() ? ", set]" : "]");
    }
}
