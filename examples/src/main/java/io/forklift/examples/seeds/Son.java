package io.forklift.examples.seeds;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.Connection;

/** Python's {@code def son(conn): conn.send('from son'); print(conn.recv()); conn.close()}; returns what it received. */
public final class Son implements Task<Connection, String> {
    @Override
    public String call(Connection conn, TaskContext ctx) throws Exception {
        conn.send("from son");
        String got = conn.recv(String.class);
        conn.close();
        return got;
    }
}
