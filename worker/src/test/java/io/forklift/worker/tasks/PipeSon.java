package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.Connection;

/** Sends "from son", returns what it receives next; closes its end only when {@code close} is true. */
public final class PipeSon implements Task<PipeSon.Args, String> {
    public record Args(Connection conn, boolean close) {}

    @Override
    public String call(Args a, TaskContext ctx) throws Exception {
        a.conn().send("from son");
        String got = a.conn().recv(String.class);
        if (a.close()) a.conn().close();
        return got;
    }
}
