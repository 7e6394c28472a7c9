package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedLock;

/** Takes the lock it is given and ends without releasing it; returns the fence it got. */
public final class TakeLock implements Task<SharedLock, Long> {
    @Override
    public Long call(SharedLock lock, TaskContext ctx) throws Exception {
        lock.acquire();
        return lock.fence().token();
    }
}
