package io.forklift.cli;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PromQL of every panel target of the Grafana dashboard, for tests that check it or have a real
 * Prometheus evaluate it ({@link #resolve} first replaces Grafana's variables).
 */
public final class DashboardQueries {

    /** One target of one panel; {@code panel} is the panel's title, for messages. */
    public record Query(String panel, String refId, String expr) {}

    /** The metrics the worker and coordinator export (issue 5), with their labels
     * (Prometheus adds instance and job); MetricsDashboardIT checks them against real processes. */
    public static final Map<String, Set<String>> METRICS = Map.ofEntries(
            entry("forklift_worker_children", Set.of("worker", "state")),
            entry("forklift_worker_processes", Set.of("worker")),
            entry("forklift_worker_busy_seconds_total", Set.of("worker")),
            entry("forklift_tasks_total", Set.of("worker", "queue", "task", "outcome")),
            entry("forklift_task_run_seconds_bucket", Set.of("worker", "queue", "task", "le")),
            entry("forklift_task_wait_seconds_bucket", Set.of("worker", "queue", "le")),
            entry("forklift_child_restarts_total", Set.of("worker", "reason")),
            entry("forklift_worker_tasks_in_flight", Set.of("worker")),
            entry("forklift_completions_rejected_total", Set.of("worker")),
            entry("forklift_leases_lost_total", Set.of("worker")),
            entry("forklift_tasks_followed_total", Set.of("worker")),
            entry("forklift_queue_tasks", Set.of("coordinator", "queue", "state")),
            entry("forklift_workers_live", Set.of("coordinator")),
            entry("forklift_cluster_processes", Set.of("coordinator")),
            entry("forklift_cluster_processes_busy", Set.of("coordinator")),
            entry("forklift_housekeeping_requeued_total", Set.of("coordinator", "queue")),
            entry("forklift_housekeeping_dead_lettered_total", Set.of("coordinator", "queue")),
            entry("forklift_coordinator_leader", Set.of("coordinator")));

    private DashboardQueries() {}

    /** The dashboard that docker compose provisions. */
    public static Path dashboard() {
        return RepoFiles.path("grafana/dashboards/forklift.json");
    }

    /** Every target of every panel, rows' nested panels included, in dashboard order. */
    public static List<Query> queries(Path dashboardJson) {
        List<Query> found = new ArrayList<>();
        collect(RepoFiles.json(dashboardJson).path("panels"), found);
        return found;
    }

    public static List<String> exprs(Path dashboardJson) {
        return queries(dashboardJson).stream().map(Query::expr).toList();
    }

    /**
     * {@code expr} as Prometheus can evaluate it: {@code $__rate_interval} becomes {@code rateInterval}
     * and {@code $worker} matches every worker, as the dashboard's "All" does.
     */
    public static String resolve(String expr, Duration rateInterval) {
        return expr.replace("$__rate_interval", rateInterval.toSeconds() + "s").replace("$worker", ".*");
    }

    private static void collect(JsonNode panels, List<Query> found) {
        for (JsonNode panel : panels) {
            collect(panel.path("panels"), found); // a collapsed row keeps its panels inside itself
            for (JsonNode target : panel.path("targets")) {
                found.add(new Query(
                        panel.path("title").asText(),
                        target.path("refId").asText(),
                        target.path("expr").asText("")));
            }
        }
    }
}
