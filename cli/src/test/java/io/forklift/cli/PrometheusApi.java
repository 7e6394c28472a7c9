package io.forklift.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Prometheus server's HTTP API, at {@code base} (such as {@code http://127.0.0.1:9090}): queries and targets. */
public final class PrometheusApi {
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PrometheusApi(String base) {
        this.base = base;
    }

    /** Whether it answers 200 on {@code /-/ready}; false while it is not listening yet. */
    public boolean ready() throws InterruptedException {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Evaluates {@code promql} now; returns the {@code data.result} array. Throws on a query error. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = Json.MAPPER.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus rejected `" + promql + "`: "
                    + body.path("error").asText(response.body()));
        }
        return body.path("data").path("result");
    }

    /** The value of a query that returns one sample; NaN when it returns none. */
    public double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        return result.isEmpty()
                ? Double.NaN
                : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Number of targets scraped successfully at least once in the last 10 s (a loaded machine may miss one scrape). */
    public int healthyTargets() throws IOException, InterruptedException {
        return query("max_over_time(up[10s]) == 1").size();
    }

    /** Every metric name Prometheus has stored. */
    public List<String> metricNames() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        Json.MAPPER
                .readTree(get("/api/v1/label/__name__/values").body())
                .path("data")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Each target with its health and last scrape error, for failure messages. */
    public String targets() throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        for (JsonNode t :
                Json.MAPPER.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets")) {
            out.append(t.path("scrapeUrl").asText())
                    .append(' ')
                    .append(t.path("health").asText())
                    .append(' ')
                    .append(t.path("lastError").asText())
                    .append("; ");
        }
        return out.toString();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
