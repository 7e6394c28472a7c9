package io.forklift.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The PromQL of every panel target of the Grafana dashboard, for tests that check it or have a real
 * Prometheus evaluate it ({@link #resolve} first replaces Grafana's variables).
 */
public final class DashboardQueries {

    /** One target of one panel; {@code panel} is the panel's title, for messages. */
    public record Query(String panel, String refId, String expr) {
    }

    private DashboardQueries() {
    }

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
            collect(panel.path("panels"), found);   // a collapsed row keeps its panels inside itself
            for (JsonNode target : panel.path("targets")) {
                found.add(new Query(panel.path("title").asText(), target.path("refId").asText(), target.path("expr").asText("")));
            }
        }
    }
}
