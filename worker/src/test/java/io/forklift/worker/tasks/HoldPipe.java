package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.Connection;

/** Sends its child's pid through the pipe end it got, then waits on it for a message that never comes. */
public final class HoldPipe implements Task<Connection, String> {
    @Override
    public String call(Connection conn, TaskContext ctx) throws Exception {
        conn.send(ctx.pid());
        return conn.recv(String.class);
    }
}
