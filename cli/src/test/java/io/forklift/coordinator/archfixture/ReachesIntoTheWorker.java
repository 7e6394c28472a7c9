package io.forklift.coordinator.archfixture;

import io.forklift.worker.WorkerConfig;

/** Breaks the layering on purpose (a coordinator class using a worker class), for ArchitectureTest. */
public final class ReachesIntoTheWorker {
    public int queues(WorkerConfig config) {
        return config.queues().size();
    }
}
