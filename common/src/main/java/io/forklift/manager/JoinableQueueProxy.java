package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import java.time.Duration;

/**
 * A proxy of a joinable shared queue: its puts count values as unfinished (queue_put.lua), {@link
 * #taskDone()} counts one done, and {@link #join()} waits on the queue's done flag (BLMOVE done
 * done), which is on while nothing is unfinished.
 */
final class JoinableQueueProxy<E> extends QueueProxy<E> implements JoinableQueue<E> {
    JoinableQueueProxy(ObjectStore store, ObjectRef ref, JavaType type) {
        super(store, ref, type);
    }

    @Override
    public void taskDone() {
        store.run(ref, store.queues.taskDone(keys, 1));
    }

    @Override
    public void join() throws InterruptedException {
        join(Deadline.forever());
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return join(Deadline.after(timeout));
    }

    private boolean join(Deadline deadline) throws InterruptedException {
        while (store.waits.move(keys.done(), keys.done(), false, deadline.block()) == null) {
            if (deadline.expired()) return false;
            Deadline.checkInterrupt();
        }
        return true;
    }
}
