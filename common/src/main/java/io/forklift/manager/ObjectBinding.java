package io.forklift.manager;

import java.util.function.Supplier;

/**
 * Where a shared object arriving as JSON (a task's argument, a value inside another object) gets
 * its Redis connection: the process's {@link ObjectStore}. A task's child installs a lazy one from
 * the worker's set-up frame, so a child that never receives a shared object opens no connection; in
 * a client program it is the first {@link ObjectStore} opened.
 */
public final class ObjectBinding {
    private static volatile Supplier<ObjectStore> installed;
    private static volatile ObjectStore offered;

    private ObjectBinding() {}

    /** Installs the store for this process (a child does, from the worker's set-up frame). */
    public static void install(Supplier<ObjectStore> store) {
        installed = store;
    }

    static synchronized void offer(ObjectStore store) {
        if (offered == null) offered = store;
    }

    static synchronized void withdraw(ObjectStore store) {
        if (offered == store) offered = null;
    }

    /**
     * Ends every pipe-end hold and lock hold this process took, as a process's exit would; a child
     * calls it after each task.
     */
    public static void releaseHolds() {
        ObjectStore store = offered;
        if (store != null) {
            store.holds.releaseAll();
            store.locks.releaseAll();
        }
    }

    static ObjectStore store() {
        Supplier<ObjectStore> s = installed;
        if (s != null) return s.get();
        ObjectStore o = offered;
        if (o == null) {
            throw new IllegalStateException("a shared object arrived, but this process has no Redis connection to bind "
                    + "it to: open one first with Forklift.connect(...).manager(...)");
        }
        return o;
    }
}
