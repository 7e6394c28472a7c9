package io.forklift.coordinator.http;

import io.forklift.redis.Keys;
import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Processes over HTTP, the part that needs no starter: a Process's state by its id, and terminate or
 * kill. Tokens scope Processes as the reserved queue {@code _processes} (read to see one, write to
 * signal one), where their tasks are stored. Starting one, join as a long poll and its printed lines
 * are not served yet: a Process's lines and its daemon lease belong to its starter's client.
 */
final class ProcessRoutes implements Router.Resource {
    private final Processes processes;

    ProcessRoutes(Redis redis) {
        this.processes = new Processes(redis);
    }

    @Override
    public void register(Router r) {
        r.get(
                "/v1/processes/{id}",
                Access.ANY,
                Doc.of("processes", "A Process's state: name, pid, host, exitCode, alive (needs queue _processes)")
                        .returns(200, "Process"),
                this::show);
        for (String op : new String[] {"terminate", "kill"}) {
            r.post(
                    "/v1/processes/{id}/" + op,
                    Access.ANY,
                    Doc.of("processes", "Send SIGTERM (terminate) or SIGKILL (kill) to a Process and its tree")
                            .returns(200, "Process"),
                    ex -> signal(ex, op.equals("kill") ? 9 : 15));
        }
    }

    private void show(Exchange ex) {
        ex.principal().readQueue(Keys.PROCESS_QUEUE);
        ex.json(200, view(ex.param("id"), entry(ex.param("id"))));
    }

    private void signal(Exchange ex, int signal) {
        ex.principal().writeQueue(Keys.PROCESS_QUEUE);
        String id = ex.param("id");
        Map<String, String> e = entry(id);
        if (!e.containsKey("exitCode")) processes.signal(id, signal);
        Map<String, Object> out = view(id, e);
        out.put("signal", signal);
        ex.json(200, out);
    }

    private Map<String, String> entry(String id) {
        Map<String, String> e = processes.read(id);
        if (e.isEmpty()) throw ApiException.notFound("no process " + id + " (unknown, or ended and expired)");
        return e;
    }

    private static Map<String, Object> view(String id, Map<String, String> e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", e.get("name"));
        out.put("state", e.getOrDefault("state", "pending"));
        out.put("pid", e.containsKey("pid") ? Long.valueOf(e.get("pid")) : null);
        out.put("host", e.get("host"));
        out.put("exitCode", e.containsKey("exitCode") ? Integer.valueOf(e.get("exitCode")) : null);
        out.put("alive", e.containsKey("pid") && !e.containsKey("exitCode"));
        return out;
    }
}
