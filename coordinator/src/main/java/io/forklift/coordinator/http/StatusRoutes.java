package io.forklift.coordinator.http;

import io.forklift.coordinator.ClusterStatus;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/status}: what {@code forklift status} prints, as JSON (each queue's depths, cap and
 * rate of ended tasks; each live worker with its children, their tasks and uptimes), plus cluster
 * utilization over the last minutes. Queues the caller's token does not cover are left out.
 */
final class StatusRoutes implements Router.Resource {
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private final Redis redis;
    private final StatusSampler sampler;

    StatusRoutes(Redis redis, StatusSampler sampler) {
        this.redis = redis;
        this.sampler = sampler;
    }

    @Override
    public void register(Router r) {
        r.get(
                "/v1/status",
                Access.ANY,
                Doc.of(
                                "status",
                                "Queues, workers and their children, and cluster utilization over the last ten minutes")
                        .returns(200, "Status"),
                this::status);
    }

    private void status(Exchange ex) {
        ClusterStatus status = ClusterStatus.read(redis);
        long now = System.currentTimeMillis();
        List<Map<String, Object>> queues = new ArrayList<>();
        for (Queues.Depth d : status.queues()) {
            if (!Principal.matches(ex.principal().queues(), d.name())) continue;
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", d.name());
            q.put("ready", d.ready());
            q.put("delayed", d.delayed());
            q.put("inFlight", d.leased());
            q.put("dead", d.dead());
            q.put("cap", d.cap());
            q.put("completed", d.completed());
            q.put("rate", Math.round(sampler.rate(d.name(), d.completed(), RATE_WINDOW) * 10) / 10.0);
            queues.add(q);
        }
        List<Map<String, Object>> workers = new ArrayList<>();
        int busy = 0, processes = 0;
        for (WorkerHeartbeat w : status.workers()) {
            busy += w.busy();
            processes += w.processes();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", w.id());
            m.put("host", w.host());
            m.put("pid", w.pid());
            m.put("queues", w.queues());
            m.put("processes", w.processes());
            m.put("busy", w.busy());
            m.put("uptimeMs", now - w.startedAt());
            m.put("succeeded", w.tasksSucceeded());
            m.put("failed", w.tasksFailed());
            List<Map<String, Object>> children = new ArrayList<>();
            for (WorkerHeartbeat.ChildState c : w.childStates()) {
                Map<String, Object> child = new LinkedHashMap<>();
                child.put("pid", c.pid());
                child.put("state", c.task() == null ? "idle" : "busy");
                child.put("task", c.task());
                child.put("uptimeMs", c.startedAt() > 0 ? now - c.startedAt() : null);
                children.add(child);
            }
            m.put("children", children);
            workers.add(m);
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (StatusSampler.Sample s : sampler.history()) {
            history.add(Map.of("at", s.at(), "busy", s.busy(), "processes", s.processes()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", now);
        out.put("queues", queues);
        out.put("workers", workers);
        out.put(
                "utilization",
                Map.of(
                        "busy",
                        busy,
                        "processes",
                        processes,
                        "now",
                        processes == 0 ? 0.0 : (double) busy / processes,
                        "history",
                        history));
        ex.json(200, out);
    }
}
