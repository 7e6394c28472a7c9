package io.forklift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.cli.DashboardQueries.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** grafana/: the Prometheus scrape configurations, Grafana's provisioning, and the dashboard's queries. */
class MonitoringConfigTest {
    private static final Map<String, Set<String>> METRICS = DashboardQueries.METRICS;
    /** Cluster-wide figures that every coordinator exports alike; the leader flag is each coordinator's own. */
    private static final Set<String> CLUSTER_GAUGES = Set.of(
            "forklift_queue_tasks",
            "forklift_workers_live",
            "forklift_cluster_processes",
            "forklift_cluster_processes_busy");

    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    /** A name, what follows it (a label block, a range, a call's parenthesis); strings are blanked first. */
    private static final Pattern NAME =
            Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\{[^}]*})?\\s*(\\[[^\\]]*])?\\s*(\\()?");
    /** Where a cluster gauge may stand, once by (…) is gone: right inside max(…). */
    private static final Pattern INSIDE_MAX = Pattern.compile("\\bmax\\s*\\(\\s*$");

    private final List<Query> queries = DashboardQueries.queries(DashboardQueries.dashboard());

    @Test
    void composeScrapeFindsTheCoordinatorAndEveryWorkerReplica() {
        JsonNode config = RepoFiles.yaml("grafana/prometheus.yml");
        assertEquals(
                "5s",
                config.path("global").path("scrape_interval").asText(),
                "grafana/prometheus.yml should scrape every 5s");
        Set<String> targets = new HashSet<>();
        boolean workersByDns = false;
        for (JsonNode job : config.path("scrape_configs")) {
            job.path("static_configs").forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText())));
            for (JsonNode dns : job.path("dns_sd_configs")) {
                workersByDns |= dns.path("names").toString().equals("[\"worker\"]")
                        && dns.path("type").asText().equals("A")
                        && dns.path("port").asInt() == 9464;
            }
        }
        assertTrue(
                targets.contains("coordinator:9465"),
                "grafana/prometheus.yml has no static target coordinator:9465: " + targets);
        assertTrue(workersByDns, "grafana/prometheus.yml has no dns_sd_config for names [worker], type A, port 9464");
    }

    @Test
    void localScrapeFindsForkliftLocalsCoordinatorAndTwoWorkers() {
        Set<String> targets = new HashSet<>();
        RepoFiles.yaml("grafana/prometheus-local.yml")
                .path("scrape_configs")
                .forEach(job -> job.path("static_configs")
                        .forEach(s -> s.path("targets").forEach(t -> targets.add(t.asText()))));
        assertEquals(
                Set.of("127.0.0.1:9460", "127.0.0.1:9461", "127.0.0.1:9462"),
                targets,
                "grafana/prometheus-local.yml targets");
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusServiceAndTheDashboardFolder() {
        JsonNode source = RepoFiles.yaml("grafana/provisioning/datasources/prometheus.yml")
                .path("datasources")
                .path(0);
        assertEquals("prometheus", source.path("type").asText(), "data source type");
        assertEquals("prometheus", source.path("uid").asText(), "data source uid, which the dashboard refers to");
        assertEquals(
                "http://prometheus:9090",
                source.path("url").asText(),
                "data source url: the compose service prometheus");
        JsonNode provider = RepoFiles.yaml("grafana/provisioning/dashboards/forklift.yml")
                .path("providers")
                .path(0);
        assertEquals("file", provider.path("type").asText(), "dashboard provider type");
        assertFalse(provider.path("options").path("path").asText().isEmpty(), "dashboard provider has no options.path");
    }

    @Test
    void everyPanelQueriesTheProvisionedDataSourceWithAnExpression() {
        JsonNode dashboard = RepoFiles.json(DashboardQueries.dashboard());
        assertEquals("forklift", dashboard.path("uid").asText(), "dashboard uid");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id") + " is used twice");
            assertFalse(panel.path("targets").isEmpty(), "panel '" + title + "' has no targets");
            assertEquals(
                    "prometheus",
                    panel.path("datasource").path("uid").asText(),
                    "panel '" + title + "' data source uid");
            panel.path("targets")
                    .forEach(t -> assertEquals(
                            "prometheus",
                            t.path("datasource").path("uid").asText(),
                            "panel '" + title + "' target " + t.path("refId") + " data source uid"));
        }
        assertFalse(queries.isEmpty(), "the dashboard has no queries");
        queries.forEach(
                q -> assertFalse(q.expr().isBlank(), "panel '" + q.panel() + "' target " + q.refId() + " has no expr"));
    }

    @Test
    void queriesUseOnlyContractMetricsAndLabelsAndEveryMetricIsShown() {
        Set<String> shown = new TreeSet<>();
        for (Query q : queries) {
            String where = "panel '" + q.panel() + "' " + q.refId() + ": " + q.expr();
            String expr = STRING.matcher(q.expr()).replaceAll("\"\"");
            Set<String> labels = new HashSet<>(Set.of("le"));
            List<String> grouping = new ArrayList<>();
            Matcher g = GROUPING.matcher(expr);
            while (g.find()) grouping.addAll(List.of(g.group(1).split("\\s*,\\s*")));
            String ungrouped = GROUPING.matcher(expr).replaceAll(""); // "max by (queue) (x)" reads as "max (x)"
            Matcher m = NAME.matcher(ungrouped);
            while (m.find()) {
                String name = m.group(1);
                if (m.group(4) != null || KEYWORDS.contains(name)) continue; // a function or an operator
                assertTrue(
                        name.startsWith("forklift_") && METRICS.containsKey(name),
                        "unknown metric " + name + " in " + where);
                shown.add(name);
                labels.addAll(METRICS.get(name));
                checkSelector(
                        name,
                        m.group(2) == null ? "" : m.group(2),
                        m.group(3),
                        ungrouped.substring(0, m.start()),
                        where);
            }
            for (String label : grouping) {
                assertTrue(
                        labels.contains(label.strip()),
                        "groups by '" + label + "', which its metrics do not have, in " + where);
            }
            String resolved = DashboardQueries.resolve(q.expr(), Duration.ofSeconds(30));
            assertFalse(
                    resolved.contains("$"), "a Grafana variable other than $__rate_interval and $worker in " + where);
        }
        assertEquals(new TreeSet<>(METRICS.keySet()), shown, "the dashboard should show every metric of the contract");
    }

    /** Counters only as rates over $__rate_interval; $worker only on worker series; cluster gauges under max. */
    private static void checkSelector(String name, String matchers, String range, String before, String where) {
        Set<String> labels = METRICS.get(name);
        Matcher label =
                Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)").matcher(matchers);
        while (label.find()) {
            assertTrue(labels.contains(label.group(1)), name + " has no label '" + label.group(1) + "', in " + where);
        }
        if (matchers.contains("$worker")) {
            assertTrue(
                    labels.contains("worker"), "$worker filters " + name + ", which has no worker label, in " + where);
        }
        boolean counter = name.endsWith("_total") || name.endsWith("_bucket");
        if (counter) {
            assertEquals(
                    "[$__rate_interval]",
                    range == null ? null : range.replace(" ", ""),
                    "counter " + name + " should be read as a rate over [$__rate_interval], in " + where);
        } else {
            assertEquals(null, range, "gauge " + name + " is read over a range, in " + where);
            if (CLUSTER_GAUGES.contains(name)) {
                assertTrue(
                        INSIDE_MAX.matcher(before).find(),
                        "cluster gauge " + name + " should sit inside max(…) since every coordinator exports it, in "
                                + where);
            }
        }
    }
}
