package io.forklift.worker;

import io.forklift.Task;
import io.forklift.TaskContext;

/** Registered in the test class path's services file so {@link TaskCatalogTest} has a name to find. */
public final class CatalogProbeTask implements Task<String, String> {
    @Override
    public String call(String arg, TaskContext ctx) {
        return arg;
    }
}
