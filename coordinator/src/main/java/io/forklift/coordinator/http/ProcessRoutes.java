package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.TaskRelay;
import io.forklift.redis.Keys;
import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import io.forklift.wire.ProcessSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * Processes over HTTP: start one (Python's {@code Process(target, args).start()}), its state by id,
 * join as a long poll, its printed lines, and terminate or kill. Tokens scope Processes as the
 * reserved queue {@code _processes} (read to see one, write to start or signal one). A Process
 * belongs to the caller's client id: its lines go to that client's output stream, as a Java
 * starter's do. Daemonic Processes are refused: one ends when its starter's liveness lease lapses,
 * and an HTTP caller, stateless between requests, holds no such lease.
 */
final class ProcessRoutes implements Router.Resource {
    /** How long an HTTP-started Process's registry entry lives if it never ends (as a Java starter's). */
    private static final Duration REGISTRY_TTL = Duration.ofDays(1);

    private final Processes processes;
    private final TaskRelay relay;
    private final ProcessWaits waits;
    private final Duration maxWait;

    ProcessRoutes(Redis redis, TaskRelay relay, ProcessWaits waits, Duration maxWait) {
        this.processes = new Processes(redis);
        this.relay = relay;
        this.waits = waits;
        this.maxWait = maxWait;
    }

    /** A Process to start: a registered task's name, its one argument, its name (the task's simple name if none). */
    record StartRequest(String task, JsonNode arg, String name, Boolean daemon, Long timeoutMs) {}

    @Override
    public void register(Router r) {
        r.post(
                "/v1/processes",
                Access.ANY,
                Doc.of(
                                "processes",
                                "Start a Process for the caller's client (Process(target, args).start(); "
                                        + "needs queue _processes, writable)")
                        .body("ProcessRequest")
                        .returns(201, "Process"),
                this::start);
        r.get(
                "/v1/processes",
                Access.ANY,
                Doc.of(
                                "processes",
                                "The newest Processes started, newest first, ended ones included (needs queue _processes)")
                        .query("limit", "integer", "how many, 1 to " + Processes.RECENT + "; 50 if absent")
                        .returns(200, "ProcessList"),
                this::list);
        r.get(
                "/v1/processes/{id}",
                Access.ANY,
                Doc.of("processes", "A Process's state: name, pid, host, exitCode, alive (needs queue _processes)")
                        .returns(200, "Process"),
                this::show);
        r.get(
                "/v1/processes/{id}/join",
                Access.ANY,
                Doc.of("processes", "Wait until the Process ends (exitCode set) or the timeout passes (alive)")
                        .query(
                                "timeout",
                                "string",
                                "ISO-8601 duration or seconds; the coordinator's wait limit if absent")
                        .returns(200, "Process"),
                this::join);
        r.get(
                "/v1/processes/{id}/lines",
                Access.ANY,
                Doc.of(
                                "processes",
                                "Lines the Process printed after a cursor, waiting for the first; ended once all came")
                        .query("after", "string", "the next of the previous answer; 0-0 (the default) for all")
                        .query("wait", "string", "ISO-8601 duration or seconds to wait for a line; 0 if absent")
                        .returns(200, "ProcessLines"),
                this::lines);
        for (String op : new String[] {"terminate", "kill"}) {
            r.post(
                    "/v1/processes/{id}/" + op,
                    Access.ANY,
                    Doc.of("processes", "Send SIGTERM (terminate) or SIGKILL (kill) to a Process and its tree")
                            .returns(200, "Process"),
                    ex -> signal(ex, op.equals("kill") ? 9 : 15));
        }
    }

    private void start(Exchange ex) {
        ex.principal().writeQueue(Keys.PROCESS_QUEUE);
        String client = ex.principal().requireClient();
        StartRequest s = ex.body(StartRequest.class);
        if (Boolean.TRUE.equals(s.daemon())) {
            throw ApiException.badRequest("daemon: a daemonic Process is terminated when its starter's liveness "
                    + "lease lapses, and an HTTP caller holds none; start it non-daemonic and terminate it "
                    + "yourself, or start it from a Java client");
        }
        TaskRelay.Request task = new TaskRoutes.TaskRequest(s.task(), s.arg(), s.timeoutMs(), null).toRelay();
        String name = s.name() == null ? task.task().substring(task.task().lastIndexOf('.') + 1) : s.name();
        ProcessSpec spec = new ProcessSpec(name, false, 0, "http:" + Request.getRemoteAddr(ex.request()));
        String id = relay.startProcess(
                client,
                task,
                spec,
                pid -> processes.register(
                        pid,
                        Map.of(
                                "name",
                                name,
                                "daemon",
                                "false",
                                "client",
                                client,
                                "state",
                                "queued",
                                "task",
                                task.task()),
                        REGISTRY_TTL));
        ex.json(201, view(id, processes.read(id)));
    }

    private void list(Exchange ex) {
        ex.principal().readQueue(Keys.PROCESS_QUEUE);
        int limit = ex.integer("limit", 50, 1, Processes.RECENT);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Processes.Entry e : processes.recent(limit)) out.add(view(e.id(), e.fields()));
        ex.json(200, Map.of("processes", out));
    }

    private void show(Exchange ex) {
        ex.principal().readQueue(Keys.PROCESS_QUEUE);
        ex.json(200, view(ex.param("id"), entry(ex.param("id"))));
    }

    private void join(Exchange ex) {
        ex.principal().readQueue(Keys.PROCESS_QUEUE);
        String id = ex.param("id");
        Duration timeout = ex.duration("timeout", maxWait, maxWait);
        entry(id); // a 404 now rather than a wait on nothing
        waits.join(ex, id, timeout, e -> view(id, e));
    }

    private void lines(Exchange ex) {
        ex.principal().readQueue(Keys.PROCESS_QUEUE);
        String id = ex.param("id");
        Duration wait = ex.duration("wait", Duration.ZERO, maxWait);
        String after = ex.query("after") == null ? "0-0" : ex.query("after");
        if (!after.matches("\\d{1,20}-\\d{1,20}")) {
            throw ApiException.badRequest("after must be a cursor such as 0-0 (the next of a previous answer), got '"
                    + (after.length() > 40 ? after.substring(0, 40) + "…" : after) + "'");
        }
        String client = entry(id).get("client");
        if (client == null) throw ApiException.notFound("process " + id + " has no starter whose lines to read");
        waits.lines(ex, id, client, after, wait);
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

    /** A registry entry as the API shows it; alive as Python's is_alive(): started and not ended. */
    static Map<String, Object> view(String id, Map<String, String> e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", e.get("name"));
        out.put("state", e.getOrDefault("state", "pending"));
        out.put("pid", e.containsKey("pid") ? Long.valueOf(e.get("pid")) : null);
        out.put("host", e.get("host"));
        out.put("exitCode", e.containsKey("exitCode") ? Integer.valueOf(e.get("exitCode")) : null);
        out.put("alive", !e.containsKey("exitCode"));
        if (e.containsKey("error")) out.put("error", e.get("error"));
        if (e.containsKey("client")) out.put("client", e.get("client"));
        if (e.containsKey("task")) out.put("task", e.get("task"));
        return out;
    }
}
