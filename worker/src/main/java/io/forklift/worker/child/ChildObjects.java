package io.forklift.worker.child;

import io.forklift.ForkliftOptions;
import io.forklift.manager.ObjectBinding;
import io.forklift.manager.ObjectStore;
import java.time.Duration;

/**
 * A child's side of shared objects: the Redis the worker named in its set-up frame, connected on
 * the first shared object a task receives (a child whose tasks get none opens no connection), and
 * the end of a task, which closes the pipe ends it held, as a process's exit closes its pipes.
 */
final class ChildObjects {
    private static ObjectStore store;

    private ChildObjects() {}

    static void install(ChildProtocol.Setup setup) {
        ObjectBinding.install(() -> connect(setup));
    }

    private static synchronized ObjectStore connect(ChildProtocol.Setup setup) {
        if (store == null) {
            store = ObjectStore.connect(
                    setup.redis(), setup.prefix(), Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
        }
        return store;
    }

    static void taskEnded() {
        try {
            ObjectBinding.releaseHolds();
        } catch (RuntimeException e) {
            // Redis unreachable: the holds expire at the end of their lease instead.
            System.err.println("could not close the pipe ends the task held: " + e.getMessage());
        }
    }
}
