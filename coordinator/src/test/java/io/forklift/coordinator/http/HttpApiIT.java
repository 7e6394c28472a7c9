package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Twice;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.TaskMessage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API against a real Redis and a real worker daemon (a separate JVM with two child JVMs):
 * tasks submitted over HTTP run on the worker exactly as a Java client's do, and their results come
 * back by id, by long poll and as an event stream. Auth, bad input and dead letters are in
 * {@link HttpGuardsIT}.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpApiIT {
    static final String TWICE = Twice.class.getName();
    static Cluster cluster;

    /** A worker serving queues {@code http} and {@code other}, and the API in this JVM. */
    record Cluster(
            Redis redis, LocalWorker worker, LocalAuthkey key, Api api, HttpServer server, String uri, String prefix)
            implements AutoCloseable {
        static Cluster start(TestRedis test, Path dir, String name, HttpSettings settings) throws Exception {
            String prefix = test.prefix(name);
            LocalAuthkey key = LocalAuthkey.create(dir);
            List<String> args = new ArrayList<>(List.of(
                    "--redis",
                    test.uri(),
                    "--prefix",
                    prefix,
                    "--queues",
                    "http,other",
                    "--processes",
                    "2",
                    "--metrics-port",
                    "-1"));
            args.addAll(key.options());
            LocalWorker worker = LocalWorker.start(name + "-worker", dir.resolve("worker.log"), args);
            Redis redis = Redis.connect(test.uri(), prefix, Duration.ofSeconds(2), 16);
            worker.awaitChildren(redis, 2, Duration.ofSeconds(90));
            Api api = new Api(redis, name, key.authkey(), Duration.ofHours(1), Duration.ofMinutes(1));
            return new Cluster(redis, worker, key, api, HttpServer.start(api, settings), test.uri(), prefix);
        }

        Http http() {
            return Http.to(server.url(), api.tokens().clusterToken());
        }

        @Override
        public void close() throws Exception {
            server.close();
            api.close();
            worker.close();
            redis.close();
        }
    }

    @BeforeAll
    static void start(TestRedis redis, @TempDir Path dir) throws Exception {
        cluster = Cluster.start(redis, dir, "api", HttpSettings.local(0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    static Http newClient() throws Exception {
        Http http = cluster.http();
        Http.Answer c = http.post("/v1/clients", "");
        assertEquals(201, c.status(), c.body().toString());
        return http.as(c.body().get("client").asText());
    }

    static Map<String, Object> task(Object arg) {
        return Map.of("task", TWICE, "arg", arg);
    }

    /** Long-polls until {@code n} results came; id → result. */
    static Map<String, JsonNode> collect(Http http, String queues, int n) throws Exception {
        Map<String, JsonNode> got = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            Http.Answer a = http.get("/v1/results?queues=" + queues + "&wait=PT10S&max=1000");
            assertEquals(200, a.status(), a.body().toString());
            for (JsonNode r : a.body().get("results"))
                assertEquals(null, got.put(r.get("id").asText(), r), "delivered twice: " + r);
        }
        assertEquals(n, got.size(), "results received");
        return got;
    }

    @Test
    void oneAndABatchRunOnTheWorkerAndComeBackByLongPollAndById() throws Exception {
        Http http = newClient();
        Http.Answer one = http.post("/v1/queues/http/tasks", task(21));
        assertEquals(201, one.status(), one.body().toString());
        String id = one.body().get("id").asText();
        assertEquals(http.clientId() + "-1", id, "ids are <client>-<sequence in base 36>, as a Java client's");

        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) tasks.add(task(i));
        Http.Answer batch = http.post("/v1/queues/http/batch", Map.of("tasks", tasks));
        assertEquals(201, batch.status(), batch.body().toString());
        List<String> ids = new ArrayList<>();
        batch.body().get("ids").forEach(i -> ids.add(i.asText()));
        assertEquals(100, ids.size());
        assertEquals(http.clientId() + "-2", ids.get(0));
        assertEquals(http.clientId() + "-" + Long.toString(101, 36), ids.get(99));

        Map<String, JsonNode> results = collect(http, "http", 101);
        assertEquals(42, results.get(id).get("result").asLong());
        for (int i = 0; i < 100; i++) {
            JsonNode r = results.get(ids.get(i));
            assertTrue(r.get("ok").asBoolean(), r.toString());
            assertEquals(2L * i, r.get("result").asLong());
            assertEquals("http", r.get("queue").asText());
            assertTrue(r.get("pid").asLong() > 0, "ran in a child: " + r);
        }
        // the long poll took them off the reply list; by id they are still there, from any coordinator
        Http.Answer byId = http.get("/v1/queues/http/results/" + id);
        assertEquals(200, byId.status(), byId.body().toString());
        assertEquals("succeeded", byId.body().get("state").asText());
        assertEquals(42, byId.body().get("result").asLong());
        Http.Answer lookup =
                http.post("/v1/queues/http/results", Map.of("ids", List.of(ids.get(5), http.clientId() + "-zzz")));
        assertEquals(1, lookup.body().get("results").size(), lookup.body().toString());
        assertEquals(
                List.of(http.clientId() + "-zzz"),
                List.of(lookup.body().get("unknown").get(0).asText()));
        assertEquals(
                404,
                http.get("/v1/queues/http/results/" + http.clientId() + "-zzz").status());
        Http.Answer empty = http.get("/v1/results?queues=http");
        assertEquals(0, empty.body().get("results").size(), "nothing delivered twice");
    }

    @Test
    void aFailedTaskComesBackWithItsRemoteError() throws Exception {
        Http http = newClient();
        String id =
                http.post("/v1/queues/other/tasks", task(-3)).body().get("id").asText();
        JsonNode r = collect(http, "other", 1).get(id);
        assertFalse(r.get("ok").asBoolean());
        assertEquals(
                "java.lang.IllegalStateException", r.get("error").get("type").asText());
        assertEquals("negative: -3", r.get("error").get("message").asText());
        assertEquals(
                "failed",
                http.get("/v1/queues/other/results/" + id).body().get("state").asText());
    }

    @Test
    void aPendingTaskIs202UntilItEnds() throws Exception {
        Http http = newClient();
        String id =
                http.post("/v1/queues/parked/tasks", task(1)).body().get("id").asText(); // no worker serves 'parked'
        Http.Answer a = http.get("/v1/queues/parked/results/" + id);
        assertEquals(202, a.status(), a.body().toString());
        assertEquals("pending", a.body().get("state").asText());
        Http.Answer waited = http.get("/v1/results?queues=parked&wait=PT1S");
        assertEquals(200, waited.status());
        assertEquals(
                0, waited.body().get("results").size(), "a long poll with nothing to give ends empty after its wait");
    }

    @Test
    void resultsStreamAsServerSentEvents() throws Exception {
        Http http = newClient();
        HttpRequest request =
                http.builder("/v1/results/stream?queues=http,other").GET().build();
        HttpResponse<java.util.stream.Stream<String>> stream =
                http.client().send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        var lines = stream.body().iterator();
        assertEquals("retry: 2000", lines.next());
        assertEquals("event: hello", lines.next());
        assertTrue(lines.next().contains(http.clientId()));

        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 5; i++)
            submitted.add(http.post("/v1/queues/" + (i % 2 == 0 ? "http" : "other") + "/tasks", task(i))
                    .body()
                    .get("id")
                    .asText());
        Set<String> streamed = new HashSet<>();
        String lastId = null;
        while (streamed.size() < 5 && lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("id: ")) lastId = line.substring(4);
            if (line.startsWith("data: ")) {
                JsonNode r = Json.MAPPER.readTree(line.substring(6));
                assertEquals(lastId, r.get("id").asText());
                assertTrue(streamed.add(r.get("id").asText()));
            }
        }
        assertEquals(submitted, streamed);
        stream.body().close();
    }

    @Test
    void anHttpTaskIsStoredAsAJavaClientStoresIt(TestRedis test) throws Exception {
        Http http = newClient();
        String httpId =
                http.post("/v1/queues/parked2/tasks", task(7)).body().get("id").asText();
        String javaId;
        try (Forklift fl = Forklift.connect(ForkliftOptions.of(cluster.uri())
                        .withPrefix(cluster.prefix())
                        .withAuthkey(cluster.key().authkey()));
                Pool pool = fl.pool("parked2", 1)) {
            javaId = pool.applyAsync(Twice.class, 7L).id();
            fl.pool("parked2", 1); // a second call returns once the first submit is stored, as submits keep order
        }
        Authkey key = cluster.key().authkey();
        Map<String, TaskMessage> stored = new HashMap<>();
        for (String id : List.of(httpId, javaId)) {
            String raw = test.raw().hget(cluster.prefix() + "{parked2}:msgs", id);
            assertTrue(raw != null && raw.startsWith("fl1."), "stored signed: " + raw);
            stored.put(
                    id,
                    Json.MAPPER.readValue(key.open(Authkey.TASK, "parked2", raw).payload(), TaskMessage.class));
        }
        TaskMessage h = stored.get(httpId), j = stored.get(javaId);
        assertEquals(
                List.of(j.v(), j.queue(), j.task(), j.args(), j.chunked(), j.timeoutMs(), j.retry()),
                List.of(h.v(), h.queue(), h.task(), h.args(), h.chunked(), h.timeoutMs(), h.retry()));
        assertEquals(http.clientId(), h.client());
        assertEquals(h.client(), TaskMessage.clientOf(h.id()));
    }

    @Test
    void theOpenApiDocumentListsEveryRouteAndEachAnswersOtherThan404() throws Exception {
        Http http = cluster.http().as("hopenapi");
        Http.Answer doc = Http.to(cluster.server().url(), null).get("/openapi.json");
        assertEquals(200, doc.status());
        assertEquals("3.0.3", doc.body().get("openapi").asText());
        int operations = 0;
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) doc.body().get("paths")::fields) {
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                operations++;
                String concrete = path.getKey()
                        .replace("{queue}", "http")
                        .replace("{id}", "hopenapi-1")
                        .replace("{file}", "page.js");
                if (concrete.endsWith("/stream")) continue; // an endless answer
                Http.Answer a = op.getKey().equals("get") ? http.get(concrete) : http.post(concrete, "{}");
                assertTrue(
                        a.status() != 404 || concrete.contains("/results/") || concrete.contains("/processes/"),
                        op.getKey() + " " + concrete + " answered 404: " + a.body());
                assertTrue(a.status() != 405, op.getKey() + " " + concrete + " answered 405");
            }
        }
        assertEquals(cluster.api().router().routes().size(), operations);
    }
}
